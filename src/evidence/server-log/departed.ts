/**
 * Workers the log saw register and then lose their registration (livekit-server v1.13.5, measured): the
 * worker's socket closed (`worker closed WS connection` with its wsError, then `closing worker` / `last worker
 * deregistered`), or the server restarted (`starting LiveKit server` again: a new process knows no worker, and
 * the old one logs no deregistration on its way down). A worker that does not register again is the
 * "socket dropped" cause: it gave up reconnecting, or its process exited. Pure.
 */
import type { LogEntry } from './parse.js';
import { quoteLine } from './quote.js';
import type { QuotedLine, RegisteredWorker } from './lines.js';

export interface DepartedWorker extends RegisteredWorker {
  how: 'server-restart' | 'deregistered';
  /** The line that ended the registration: the server's start line, or the deregistration. */
  gone: QuotedLine;
  /** Why the socket closed, as the server saw it (debug level only). */
  wsError?: string;
}

/** Collects departures while correlate walks the log; `note` must see each line before the registry forgets anyone. */
export class DepartureTracker {
  private readonly departed: DepartedWorker[] = [];
  private readonly wsErrors = new Map<string, string>();
  constructor(private readonly since: Date) {}

  note(entry: LogEntry, workers: ReadonlyMap<string, RegisteredWorker>): void {
    const line = (): QuotedLine => ({ time: entry.time, line: entry.line, quote: quoteLine(entry.raw) });
    if (entry.message === 'starting LiveKit server') {
      for (const w of workers.values()) this.departed.push({ ...w, how: 'server-restart', gone: line() });
      return;
    }
    const workerId = typeof entry.fields.workerID === 'string' ? entry.fields.workerID : '';
    if (!workerId) return;
    if (entry.message === 'worker closed WS connection' && typeof entry.fields.wsError === 'string') {
      this.wsErrors.set(workerId, entry.fields.wsError);
      return;
    }
    // A deregistration inside the window is the dispatch's own story (deregisteredAt); before it, the worker was gone.
    const deregistered = entry.message === 'closing worker' || entry.message === 'last worker deregistered';
    const known = workers.get(workerId);
    if (!deregistered || !known || entry.time >= this.since || this.departed.some((d) => d.workerId === workerId)) return;
    const wsError = this.wsErrors.get(workerId);
    this.departed.push({ ...known, how: 'deregistered', gone: line(), ...(wsError ? { wsError } : {}) });
  }

  list(): DepartedWorker[] {
    return [...this.departed];
  }
}

export interface GoneWorker {
  workerId: string;
  agentName: string;
  how: DepartedWorker['how'];
  registeredLine: number;
  goneLine: number;
  goneAt: string;
  wsError?: string;
}

/**
 * Workers under exactly this name that left and none came back (callers pass only when no worker of that
 * name is registered now), the latest last; at most three, so a long log does not flood the evidence.
 */
export function goneWorkersFor(departed: readonly DepartedWorker[], name: string): DepartedWorker[] {
  return departed.filter((d) => d.agentName === name).sort((a, b) => a.gone.line - b.gone.line).slice(-3);
}

export function goneSummary(gone: readonly DepartedWorker[], name: string): string {
  const last = gone[gone.length - 1]!;
  const how =
    last.how === 'server-restart'
      ? `the server restarted after it (line ${last.gone.line}, "starting LiveKit server"), which drops every worker until it reconnects`
      : `it deregistered at line ${last.gone.line}${last.wsError ? ` (its socket closed: ${last.wsError})` : ' (its socket closed)'}`;
  return ` Worker ${last.workerId} was registered as "${name}" (line ${last.line}), but ${how}, and no worker registered as "${name}" since: it gave up reconnecting or its process exited.`;
}

export function plainGone(gone: readonly DepartedWorker[]): GoneWorker[] {
  return gone.map((d) => ({
    workerId: d.workerId,
    agentName: d.agentName,
    how: d.how,
    registeredLine: d.line,
    goneLine: d.gone.line,
    goneAt: d.gone.time.toISOString(),
    ...(d.wsError ? { wsError: d.wsError } : {}),
  }));
}
