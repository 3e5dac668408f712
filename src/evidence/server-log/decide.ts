/**
 * Which server-log verdicts settle a wait (livekit-server v1.13.5, measured): the server does not retry a
 * job, so once it logged that nobody got it, or who got it, waiting longer shows nothing new. Pure.
 */
import type { ServerLogVerdict } from './classify.js';

/**
 * `not-taken`: no worker under the name will get this job (no worker, full, rejected, timed out, request failed).
 * `taken`: a worker was assigned the job (the agent may still join). `ended`: the job was assigned and the worker
 * reported it ended, with no agent in the room: it will not join.
 */
export type LogDecisionKind = 'not-taken' | 'taken' | 'ended';

export interface LogDecision {
  kind: LogDecisionKind;
  verdict: ServerLogVerdict;
  /** The log line that decided (1-based), when the verdict quotes one. */
  line?: number;
}

const NOT_TAKEN = new Set<ServerLogVerdict['cause']>(['no-worker-for-name', 'answer-timeout', 'job-rejected', 'worker-full', 'no-capacity', 'job-request-failed']);

/** The first line number a verdict quotes (`line N: …`). */
export function quotedLine(v: ServerLogVerdict): number | undefined {
  const m = /^line (\d+):/.exec(v.evidence[0] ?? '');
  return m ? Number(m[1]) : undefined;
}

/** The decisive answer among the verdicts for one dispatch, if there is one yet; `nothing-logged` never decides. */
export function decideFromLog(verdicts: ServerLogVerdict[]): LogDecision | undefined {
  const assigned = verdicts.find((v) => v.cause === 'assigned-not-joined' || v.cause === 'assigned-and-joined');
  if (assigned?.cause === 'assigned-not-joined' && assigned.ended) return { kind: 'ended', verdict: assigned, line: assigned.ended.line };
  if (assigned) return { kind: 'taken', verdict: assigned, line: quotedLine(assigned) };
  const lost = verdicts.find((v) => NOT_TAKEN.has(v.cause));
  if (lost) return { kind: 'not-taken', verdict: lost, line: quotedLine(lost) };
  return undefined;
}
