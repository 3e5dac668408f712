/**
 * Picks the lines about one dispatch out of a server log. Lines carry different keys: worker
 * lines carry the agent name and worker id but no room; `failed to send job request` carries only
 * the agent name; job lines carry room, agent name, job id and worker id. A line is kept when one
 * of the keys it carries matches a filter and none of them contradicts one.
 */
import type { LogEntry } from './parse.js';
import { quoteLine } from './quote.js';
import type { QuotedLine, RegisteredWorker } from './lines.js';
import { DepartureTracker, type DepartedWorker } from './departed.js';

export interface CorrelateOptions {
  since: Date;
  /** The `not dispatching…` line comes about 5 s after the dispatch: end the window later than that. */
  until: Date;
  rooms: string[];
  agentNames: string[];
  jobIds?: string[];
}

export type { QuotedLine, RegisteredWorker } from './lines.js';

export interface JobLine extends QuotedLine {
  jobId: string;
  workerId: string;
  room: string;
  agentName: string;
  error?: string;
}

export interface NameLine extends QuotedLine {
  agentName: string;
  room?: string;
  jobId?: string;
  error?: string;
}

/** The server's start as its log shows it: from here on every worker that registered with this server is in the log. */
export interface ServerStart extends QuotedLine {
  /** `using single-node routing` came with this start: no other node holds workers this log does not show. */
  singleNode: boolean;
}

export interface ServerLogEvidence {
  since: Date;
  until: Date;
  /** The latest `starting LiveKit server` line, when the log reaches back that far (a restart forgets every worker). */
  serverStart?: ServerStart;
  /** This dispatch's own `API AgentDispatchService.CreateDispatch` line: the log has caught up with the dispatch. */
  dispatchLine?: QuotedLine;
  /** Every worker registered before `until` and not gone before `since`, whatever its name (for near-name hints). */
  registeredWorkers: RegisteredWorker[];
  /** Workers that lost their registration before `since` (socket closed, or the server restarted after them). */
  departedWorkers: DepartedWorker[];
  /** `not dispatching agent job since no worker is available` */
  noWorkerForName: NameLine[];
  /** `failed to send job request` (+ error); carries no room. */
  jobRequestFailed: NameLine[];
  /** `no worker available to handle job` */
  noWorkerAvailable: NameLine[];
  /** `failed to assign job to worker` */
  assignFailed: JobLine[];
  /** `assigned job to worker` */
  assigned: JobLine[];
  /** `received availability response for unknown job`: the worker answered after the server gave up. */
  lateAnswers: JobLine[];
  /** `job ended` {status, error}: the worker reported its job finished (Python agents do; agents-js does not). */
  jobEnded: (JobLine & { status: string })[];
  /** Lines inside the window and about the given rooms/agents. */
  linesMatched: number;
}

export function correlate(entries: LogEntry[], opts: CorrelateOptions): ServerLogEvidence {
  const evidence: ServerLogEvidence = {
    since: opts.since,
    until: opts.until,
    registeredWorkers: [],
    departedWorkers: [],
    noWorkerForName: [],
    jobRequestFailed: [],
    noWorkerAvailable: [],
    assignFailed: [],
    assigned: [],
    lateAnswers: [],
    jobEnded: [],
    linesMatched: 0,
  };
  const workers = new Map<string, RegisteredWorker>();
  const departures = new DepartureTracker(opts.since);
  let singleNode = false;
  for (const entry of entries) {
    if (entry.time > opts.until) continue;
    departures.note(entry, workers);
    if (entry.message === 'using single-node routing') singleNode = true;
    if (entry.message === 'starting LiveKit server') {
      evidence.serverStart = { time: entry.time, line: entry.line, quote: quoteLine(entry.raw), singleNode };
      singleNode = false;
      workers.clear();
    }
    trackWorkers(entry, workers, opts.since);
    if (!evidence.dispatchLine && isDispatchOf(entry, opts)) evidence.dispatchLine = { time: entry.time, line: entry.line, quote: quoteLine(entry.raw) };
    if (entry.time < opts.since || !isAbout(entry, opts)) continue;
    const base = { time: entry.time, line: entry.line, quote: quoteLine(entry.raw) };
    const f = entry.fields;
    const job = (): JobLine => ({
      ...base,
      jobId: str(f.jobID),
      workerId: str(f.workerID),
      room: str(f.room),
      agentName: str(f.agentName),
      ...(f.error !== undefined ? { error: str(f.error) } : {}),
    });
    const named = (): NameLine => ({
      ...base,
      agentName: str(f.agentName),
      ...(f.room !== undefined ? { room: str(f.room) } : {}),
      ...(f.jobID !== undefined ? { jobId: str(f.jobID) } : {}),
      ...(f.error !== undefined ? { error: str(f.error) } : {}),
    });
    evidence.linesMatched++;
    switch (entry.message) {
      case 'not dispatching agent job since no worker is available':
        evidence.noWorkerForName.push(named());
        break;
      case 'failed to send job request':
        evidence.jobRequestFailed.push(named());
        break;
      case 'no worker available to handle job':
        evidence.noWorkerAvailable.push(named());
        break;
      case 'failed to assign job to worker':
        evidence.assignFailed.push(job());
        break;
      case 'assigned job to worker':
        evidence.assigned.push(job());
        break;
      case 'received availability response for unknown job':
        evidence.lateAnswers.push(job());
        break;
      case 'job ended':
        evidence.jobEnded.push({ ...job(), status: str(f.status) });
        break;
    }
  }
  evidence.registeredWorkers = [...workers.values()];
  evidence.departedWorkers = departures.list();
  return evidence;
}

function trackWorkers(entry: LogEntry, workers: Map<string, RegisteredWorker>, since: Date): void {
  const workerId = str(entry.fields.workerID);
  if (!workerId) return;
  if (entry.message === 'worker registered') {
    workers.set(workerId, {
      time: entry.time,
      line: entry.line,
      quote: quoteLine(entry.raw),
      agentName: str(entry.fields.agentName),
      workerId,
      jobType: str(entry.fields.jobType),
    });
  } else if (entry.message === 'closing worker' || entry.message === 'last worker deregistered') {
    const known = workers.get(workerId);
    if (!known) return;
    if (entry.time < since) workers.delete(workerId);
    else known.deregisteredAt ??= entry.time;
  }
}

/** The API line of a CreateDispatch for one of the rooms and agent names (the name sits in its request). */
function isDispatchOf(entry: LogEntry, opts: CorrelateOptions): boolean {
  if (entry.message !== 'API AgentDispatchService.CreateDispatch' || entry.time < opts.since) return false;
  const request = entry.fields.request as { agentName?: unknown } | undefined;
  return opts.rooms.includes(str(entry.fields.room)) && opts.agentNames.includes(str(request?.agentName));
}

function isAbout(entry: LogEntry, opts: CorrelateOptions): boolean {
  const checks: [unknown, string[] | undefined][] = [
    [entry.fields.room, opts.rooms],
    [entry.fields.agentName, opts.agentNames],
    [entry.fields.jobID, opts.jobIds],
  ];
  let matchedOne = false;
  for (const [value, filter] of checks) {
    if (value === undefined || !filter || filter.length === 0) continue;
    if (!filter.includes(str(value))) return false;
    matchedOne = true;
  }
  return matchedOne;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}
