import type { LogEntry } from './parse.js';
import { quoteLine } from './quote.js';

/** What the server logged about one participant leaving and its job ending (rtc/participant.go, agent/worker.go). */
export interface ParticipantLifecycle {
  closing?: { reason?: string; kind?: string; sessionDuration?: string; line: number; quote: string; at: Date };
  jobEnded?: { status?: string; error?: string; line: number; quote: string; at: Date };
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

export function participantLifecycle(entries: readonly LogEntry[], room: string, identity: string, jobId?: string): ParticipantLifecycle {
  const out: ParticipantLifecycle = {};
  for (const e of entries) {
    if (e.message === 'participant closing' && e.fields.room === room && e.fields.participant === identity) {
      out.closing = { reason: str(e.fields.reason), kind: str(e.fields.kind), sessionDuration: str(e.fields.sessionDuration) ?? (typeof e.fields.sessionDuration === 'number' ? `${e.fields.sessionDuration}` : undefined), line: e.line, quote: quoteLine(e.raw), at: e.time };
    }
    if (e.message === 'job ended' && jobId !== undefined && e.fields.jobID === jobId) {
      out.jobEnded = { status: str(e.fields.status), error: str(e.fields.error), line: e.line, quote: quoteLine(e.raw), at: e.time };
    }
  }
  return out;
}
