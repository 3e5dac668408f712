/**
 * Names the cause of a dispatch outcome from the server's own log lines (livekit-server v1.13.5
 * wording, measured). The server API alone cannot tell "no worker under that name" from "a worker
 * took the job and crashed": the log can.
 */
import type { Remedy } from '../../core/model.js';
import { compareAgentNames } from '../name-diff.js';
import type { JobLine, ServerLogEvidence } from './correlate.js';
import { FIXES } from './fixes.js';
import { goneSummary, goneWorkersFor, plainGone, type GoneWorker } from './departed.js';

export type ServerLogCause =
  | 'assigned-and-joined'
  | 'assigned-not-joined'
  | 'answer-timeout'
  | 'job-rejected'
  | 'worker-full'
  | 'no-capacity'
  | 'no-worker-for-name'
  | 'job-request-failed'
  | 'nothing-logged';

export interface ProbableIntent {
  /** A registered worker's name that differs from the dispatched one only in ways people miss. */
  agentName: string;
  workerId: string;
  differences: string[];
  shown: string;
}

export interface ServerLogVerdict {
  cause: ServerLogCause;
  /** One line. */
  summary: string;
  /** Quoted (redacted) log lines, each prefixed with its line number. */
  evidence: string[];
  fix: Remedy;
  jobId?: string;
  workerId?: string;
  probableIntent?: ProbableIntent[];
  /** Workers registered without a name: they take only automatic dispatch (no-worker-for-name). */
  unnamedWorkers?: { workerId: string; line: number }[];
  /** Workers under the dispatched name that were registered and left (socket closed, server restarted); none came back. */
  goneWorkers?: GoneWorker[];
  /** assigned-not-joined: the worker reported the job ended, so the agent will not join any more. */
  ended?: { line: number; status: string; error?: string };
  /** answer-timeout: the worker answered this long after the server gave up (it was alive again). */
  lateByMs?: number;
}

export interface ClassifyOptions {
  dispatchedName: string;
  /** Whether an agent participant for that name was seen in the room. */
  agentJoined: boolean;
  /**
   * How long ago the doctor sent the dispatch (its own clock). Given, a log that covers the server's whole life
   * on a single node decides "no worker" from its registrations once the selection window has passed, without
   * waiting for the server's own line (which comes ~5 s late after any worker registered).
   */
  sinceDispatchMs?: number;
}

/** livekit-server offers a job within its ~200 ms selection window; past this a worker not yet registered gets none. */
export const REGISTRY_SETTLED_MS = 300;

export function classifyServerLog(evidence: ServerLogEvidence, opts: ClassifyOptions): ServerLogVerdict[] {
  const name = opts.dispatchedName;
  const forName = <T extends { agentName: string }>(lines: T[]) => lines.filter((l) => l.agentName === name);
  const cite = (l: { line: number; quote: string }) => `line ${l.line}: ${l.quote}`;
  const verdicts: ServerLogVerdict[] = [];

  for (const a of uniqueJobs(forName(evidence.assigned))) {
    const registration = evidence.registeredWorkers.find((w) => w.workerId === a.workerId);
    const ended = evidence.jobEnded.find((e) => e.jobId === a.jobId);
    const lines = [cite(a), ...(registration ? [cite(registration)] : []), ...(ended && !opts.agentJoined ? [cite(ended)] : [])];
    const endedNote = ended ? ` The worker reported the job ended (${ended.status}${ended.error ? `: ${ended.error}` : ''}) without its agent joining.` : '';
    verdicts.push(
      opts.agentJoined
        ? { cause: 'assigned-and-joined', summary: `The server assigned job ${a.jobId} for "${name}" in room "${a.room}" to worker ${a.workerId}, and the agent joined.`, evidence: lines, fix: FIXES.healthy, jobId: a.jobId, workerId: a.workerId }
        : { cause: 'assigned-not-joined', summary: `Worker ${a.workerId} accepted job ${a.jobId} in room "${a.room}" but no agent joined: the agent crashed or hung after taking the job.${endedNote}`, evidence: lines, fix: FIXES.assignedNotJoined(a.jobId, a.workerId), jobId: a.jobId, workerId: a.workerId, ...(ended ? { ended: { line: ended.line, status: ended.status, ...(ended.error ? { error: ended.error } : {}) } } : {}) },
    );
  }

  const timedOut = forName(evidence.assignFailed).filter((l) => isTimeout(l.error));
  const requestTimedOut = forName(evidence.jobRequestFailed).filter((l) => isTimeout(l.error));
  if (timedOut.length || requestTimedOut.length) {
    const first = timedOut[0];
    const late = evidence.lateAnswers.filter((l) => timedOut.some((t) => t.jobId === l.jobId));
    const lateByMs = first && late[0] ? late[0].time.getTime() - first.time.getTime() : undefined;
    const lateBy = lateByMs !== undefined ? ` The worker's answer arrived ${(lateByMs / 1000).toFixed(1)} s after the server gave up: it was alive again, too late (a slow request handler, or a host that froze the process).` : '';
    verdicts.push({
      cause: 'answer-timeout',
      summary: `A worker named "${name}" was offered the job${first ? ` (${first.jobId}, worker ${first.workerId})` : ''} but did not answer within the server's deadline (about 3 s); the job was dropped, not retried.${lateBy}`,
      evidence: [...timedOut, ...requestTimedOut, ...late].sort(byLine).map(cite),
      fix: FIXES.answerTimeout,
      ...(first ? { jobId: first.jobId, workerId: first.workerId } : {}),
      ...(lateByMs !== undefined ? { lateByMs } : {}),
    });
  }

  const rejected = uniqueJobs(forName(evidence.assignFailed).filter((l) => isRejection(l.error)));
  const rejectedJobs = new Set(rejected.map((l) => l.jobId));
  if (rejected.length) {
    const consequences = [
      ...evidence.noWorkerAvailable.filter((l) => l.jobId !== undefined && rejectedJobs.has(l.jobId)),
      ...forName(evidence.jobRequestFailed).filter((l) => isNoCapacity(l.error)),
    ];
    const first = rejected[0]!;
    verdicts.push({
      cause: 'job-rejected',
      summary: `Worker ${first.workerId} was offered job ${first.jobId} for "${name}" and answered "not available" (its request handler rejected the job, or it was draining); no other worker took it.`,
      evidence: [...rejected, ...consequences].sort(byLine).map(cite),
      fix: FIXES.jobRejected,
      jobId: first.jobId,
      workerId: first.workerId,
    });
  }

  const full = forName(evidence.jobRequestFailed).filter((l) => /no servers available/i.test(l.error ?? ''));
  if (full.length) {
    const workers = evidence.registeredWorkers.filter((w) => w.agentName === name);
    verdicts.push({
      cause: 'worker-full',
      summary: `${workers.length || 'Some'} worker(s) named "${name}" are registered, but none claimed the job: each reports itself full (WS_FULL) or at a load at or above the server's target load (0.7 by default).`,
      evidence: [...full, ...workers].sort(byLine).map(cite),
      fix: FIXES.workerFull,
    });
  }

  const noCapacity = evidence.noWorkerAvailable.filter(
    (l) => (!l.agentName || l.agentName === name) && !(l.jobId !== undefined && rejectedJobs.has(l.jobId)),
  );
  if (noCapacity.length) {
    verdicts.push({
      cause: 'no-capacity',
      summary: `The server found no worker named "${name}" with capacity for the job (${noCapacity[0]!.error ?? 'no workers available'}).`,
      evidence: noCapacity.map(cite),
      fix: FIXES.workerFull,
    });
  }

  const missing = forName(evidence.noWorkerForName);
  if (missing.length) verdicts.push(noWorkerVerdict(evidence, name, missing.map(cite)));
  else if (verdicts.length === 0) {
    const unregistered = noneRegistered(evidence, name, opts.sinceDispatchMs);
    if (unregistered) verdicts.push(noWorkerVerdict(evidence, name, unregistered));
  }

  const otherFailures = forName(evidence.jobRequestFailed).filter(
    (l) => !isTimeout(l.error) && !/no servers available/i.test(l.error ?? '') && !isNoCapacity(l.error),
  );
  if (otherFailures.length && !missing.length) {
    verdicts.push({
      cause: 'job-request-failed',
      summary: `The server could not deliver the job request for "${name}": ${otherFailures[0]!.error ?? 'unknown error'}.`,
      evidence: otherFailures.map(cite),
      fix: FIXES.jobRequestFailed,
    });
  }

  if (verdicts.length === 0) {
    verdicts.push({
      cause: 'nothing-logged',
      summary: `The log has no dispatch line for "${name}" between ${evidence.since.toISOString()} and ${evidence.until.toISOString()} (${evidence.linesMatched} line(s) matched the room and agent).`,
      evidence: [],
      fix: FIXES.nothingLogged,
    });
  }
  return verdicts;
}

/**
 * The log decides "nobody has this name" by itself when it shows the whole life of a single-node server (its
 * start line and `using single-node routing`), has caught up with this dispatch (its CreateDispatch line), and
 * no worker of that name registered for room jobs and stayed, a selection window after the dispatch.
 */
function noneRegistered(evidence: ServerLogEvidence, name: string, sinceDispatchMs: number | undefined): string[] | undefined {
  const start = evidence.serverStart;
  const dispatch = evidence.dispatchLine;
  if (sinceDispatchMs === undefined || sinceDispatchMs < REGISTRY_SETTLED_MS || !start?.singleNode || !dispatch) return undefined;
  if (evidence.registeredWorkers.some((w) => w.agentName === name && w.jobType === 'JT_ROOM' && !w.deregisteredAt)) return undefined;
  return [
    `line ${dispatch.line}: ${dispatch.quote}`,
    `line ${start.line}: ${start.quote}`,
    `the log covers this server since it started (line ${start.line}, single-node routing) and no worker registered as "${name}" for room jobs since; the server's own "not dispatching agent job since no worker is available" line follows, up to ~5 s later after any worker registered`,
  ];
}

function noWorkerVerdict(evidence: ServerLogEvidence, name: string, lines: string[]): ServerLogVerdict {
  const alive = evidence.registeredWorkers;
  const sameName = alive.filter((w) => w.agentName === name);
  // The dispatched name was registered and left: a lost socket, the most specific story the log tells.
  const gone = sameName.length ? [] : goneWorkersFor(evidence.departedWorkers, name);
  if (gone.length) {
    return {
      cause: 'no-worker-for-name',
      summary: `No worker is registered under the exact name "${name}", so the server did not offer the job to anyone.${goneSummary(gone, name)}`,
      evidence: [...lines, ...gone.flatMap((w) => [`line ${w.line}: ${w.quote}`, `line ${w.gone.line}: ${w.gone.quote}`])],
      fix: FIXES.workerGone(gone[gone.length - 1]!.how),
      goneWorkers: plainGone(gone),
    };
  }
  const intents: ProbableIntent[] = alive
    .filter((w) => w.agentName !== name)
    .map((w) => ({ w, cmp: compareAgentNames(name, w.agentName) }))
    .filter(({ cmp }) => cmp.likelySame)
    .map(({ w, cmp }) => ({ agentName: w.agentName, workerId: w.workerId, differences: cmp.differences, shown: cmp.shown.registered }));
  // An unnamed worker (agent_name "") takes only automatic dispatch: the mirror image of a named agent nobody dispatches.
  const unnamed = name === '' ? [] : alive.filter((w) => w.agentName === '' && !w.deregisteredAt);
  let summary = `No worker is registered under the exact name "${name}", so the server did not offer the job to anyone.`;
  if (unnamed.length && !intents.length) {
    summary += ` ${unnamed.length === 1 ? `Worker ${unnamed[0]!.workerId} is` : `${unnamed.length} workers are`} registered without a name: an unnamed worker takes only automatic dispatch (new rooms), never a dispatch to "${name}".`;
  }
  if (intents.length) summary += ` Probably meant: ${intents.map((i) => `${i.shown} (${i.differences[0]})`).join('; ')}.`;
  if (sameName.length) {
    summary += ` A worker named "${name}" is registered with job type ${sameName.map((w) => w.jobType).join(', ')}; a different job type or deployment does not match the dispatch.`;
  }
  const registeredLines = [...intents.map((i) => alive.find((w) => w.workerId === i.workerId)!), ...sameName, ...(intents.length ? [] : unnamed)].map(
    (w) => `line ${w.line}: ${w.quote}`,
  );
  return {
    cause: 'no-worker-for-name',
    summary,
    evidence: [...lines, ...registeredLines],
    fix: unnamed.length && !intents.length ? FIXES.unnamedWorker(name) : FIXES.noWorkerForName(name, intents.map((i) => i.agentName)),
    ...(intents.length ? { probableIntent: intents } : {}),
    ...(unnamed.length && !intents.length ? { unnamedWorkers: unnamed.map((w) => ({ workerId: w.workerId, line: w.line })) } : {}),
  };
}

// Measured on v1.13.5: an `available: false` answer logs `failed to assign job to worker` {retry: true,
// error: "worker not available"}, then `no worker available to handle job` "no workers with sufficient capacity".
function isRejection(error: string | undefined): boolean {
  return /worker not available/i.test(error ?? '');
}

function isNoCapacity(error: string | undefined): boolean {
  return /no workers with sufficient capacity|no workers available/i.test(error ?? '');
}

function isTimeout(error: string | undefined): boolean {
  return /timed out|deadline exceeded|timeout/i.test(error ?? '');
}

function uniqueJobs(lines: JobLine[]): JobLine[] {
  const seen = new Set<string>();
  return lines.filter((l) => (seen.has(l.jobId) ? false : (seen.add(l.jobId), true)));
}

function byLine(a: { line: number }, b: { line: number }): number {
  return a.line - b.line;
}
