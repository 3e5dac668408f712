import { randomBytes } from 'node:crypto';
import type { ServerFacts } from '../../core/model.js';
import type { Timeline } from '../../core/timeline.js';

/**
 * accept: take every job and join its room (the control experiment).
 * observe: take every job and record it, but don't join (see what arrives, the room gets no agent).
 * reject: answer `available: false` (the server then tries other workers under the same name).
 */
export type ProbeMode = 'accept' | 'observe' | 'reject';
export type JobStage = 'assigned' | 'joined' | 'left';

export interface ProbeWorkerOptions {
  /** Server URL in any form (ws, wss, http, https, with a path prefix). */
  url: string;
  apiKey: string;
  apiSecret: string;
  agentName: string;
  mode: ProbeMode;
  timeline: Timeline;
  /** Connect + register reply (default 10 s; the server itself waits 10 s for `register`). */
  registerTimeoutMs?: number;
  /** rtc-node `Room.connect` (default 10 s; it has no deadline of its own). */
  joinTimeoutMs?: number;
  /** Delay before answering availability (default 0). Over ~3 s the server drops the job. */
  answerDelayMs?: number;
  /** How long to stay in a joined room (default 0: leave once the join is confirmed; Infinity: until stop or termination). */
  stayMs?: number;
  /** Participant name answered for accepted jobs (default `livekit-doctor probe`). */
  participantName?: string;
  /** Sent in `register` (default `livekit-doctor/<package version>`). */
  version?: string;
}

export interface Registration {
  workerId: string;
  server: ServerFacts;
  /** Run-clock ms when the register reply arrived. */
  atMs: number;
  socketOpenAtMs: number;
}

/** One job request as the probe saw it. Times are run-clock ms (the Timeline's clock). */
export interface JobRecord {
  jobId: string;
  dispatchId: string;
  room: string;
  agentName: string;
  metadata: string;
  jobType: string;
  /** The identity answered (empty when rejected). */
  participantIdentity: string;
  accepted: boolean;
  requestAtMs: number;
  answeredAtMs?: number;
  assignedAtMs?: number;
  /** `assignment.url` when the server sent one (LiveKit Cloud may). */
  assignmentUrl?: string;
  joinedAtMs?: number;
  leftAtMs?: number;
  terminatedAtMs?: number;
  /** One redacted line when joining the room failed. */
  joinError?: string;
}

export interface WorkerClosed {
  atMs: number;
  code: number;
  reason: string;
  /** False when the doctor closed it (stop()). */
  byServer: boolean;
  /** The socket error that preceded the close (ECONNRESET, EPIPE…), redacted, if any. */
  error?: string;
}

/**
 * What ended the worker socket, in words: a close frame from the server is the server closing it; code 1006
 * (no close frame) or a socket error is the connection being cut on the way (network, proxy, server killed).
 */
export function describeWorkerClose(closed: WorkerClosed): string {
  if (!closed.byServer) return 'the doctor closed the worker socket';
  if (closed.code === 1006 || closed.error) {
    return `the connection to the server was cut (${closed.error ? `${closed.error}, ` : ''}no close frame, code ${closed.code}): the network dropped, a proxy reset it, or the server died`;
  }
  return `the server closed the worker socket (code ${closed.code}${closed.reason ? `: ${closed.reason}` : ''})`;
}

/** A fresh agent name no real worker shares: `livekit-doctor-probe-<8 base36 chars>`. */
export function uniqueProbeName(): string {
  const bytes = randomBytes(8);
  let id = '';
  for (const b of bytes) id += (b % 36).toString(36);
  return `livekit-doctor-probe-${id}`;
}
