/**
 * Everything the doctor creates (rooms, dispatches, workers, participants) is registered here BEFORE the call
 * that creates it (a room whose creation answer was lost is still deleted, by its name). `runAll` undoes it in
 * two phases, on success, failure, SIGINT and SIGTERM:
 *   1. stop — whatever the doctor runs that can still touch the server (workers, a join in flight, samplers)
 *      is stopped and awaited, newest first, so that nothing re-creates a room after it was deleted;
 *   2. remove — server resources (rooms, dispatches) are deleted, newest first; a failed removal is retried with
 *      backoff within a bounded time (a network that is back within seconds leaves nothing behind).
 * What still cannot be removed is in the outcomes with its room name, for the report and `livekit-doctor cleanup`.
 */
export interface CleanupOutcome {
  label: string;
  ok: boolean;
  error?: string;
  durationMs: number;
  /** The room this step removes, when it removes one. */
  room?: string;
  /** Tries made (removals are retried). */
  attempts?: number;
}

export type CleanupPhase = 'stop' | 'remove';

export interface CleanupStepOptions {
  /** Default: 'remove' for labels starting with "delete", else 'stop'. */
  phase?: CleanupPhase;
  /** The room the step removes (named in the report when it cannot be removed). */
  room?: string;
}

export interface RunAllOptions {
  /** Deadline of each try of each step (default 5 s). */
  perStepMs?: number;
  /** How long failed removals are retried, in all (default 10 s). */
  retryBudgetMs?: number;
}

interface Entry {
  label: string;
  undo: () => Promise<void>;
  phase: CleanupPhase;
  room?: string;
}

/** Answers that mean "already gone": what cleanup wants. */
const GONE = /not.?found|does not exist|no such room|\b404\b/i;
/** Answers that no retry changes. */
const HOPELESS = /\b40[13]\b|unauthori[sz]ed|permission|invalid api key|signature/i;

/** Pure backoff: 250 ms, 500 ms, 1 s, then 2 s, each ±20 %. */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(2000, 250 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export class CleanupList {
  private entries: Entry[] = [];
  private running: Promise<CleanupOutcome[]> | undefined;

  /** Registers an undo step; returns a function that removes it (when the resource was already released). */
  add(label: string, undo: () => Promise<void>, opts: CleanupStepOptions = {}): () => void {
    const entry: Entry = { label, undo, phase: opts.phase ?? (/^delete\b/i.test(label) ? 'remove' : 'stop'), ...(opts.room ? { room: opts.room } : {}) };
    this.entries.push(entry);
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  /** Registers the deletion of a room the doctor names, before the call that creates it. */
  addRoom(room: string, remove: () => Promise<void>, label = `delete room ${room}`): () => void {
    return this.add(label, remove, { phase: 'remove', room });
  }

  get pending(): string[] {
    return this.entries.map((e) => e.label);
  }

  /** Runs every step once (stop phase, then remove phase, newest first in each). Concurrent callers share one run. */
  runAll(options: number | RunAllOptions = {}): Promise<CleanupOutcome[]> {
    const opts = typeof options === 'number' ? { perStepMs: options } : options;
    const perStepMs = opts.perStepMs ?? 5000;
    const retryBudgetMs = opts.retryBudgetMs ?? 10_000;
    if (!this.running) {
      this.running = (async () => {
        const outcomes: CleanupOutcome[] = [];
        for (const phase of ['stop', 'remove'] as const) {
          const phaseStarted = performance.now();
          // Steps registered while cleanup runs (a late creation) are taken too: the loop re-reads the list.
          for (let guard = 0; guard < 10_000; guard++) {
            const index = this.entries.map((e) => e.phase).lastIndexOf(phase);
            if (index < 0) break;
            const [entry] = this.entries.splice(index, 1);
            outcomes.push(await runStep(entry!, perStepMs, phase === 'remove' ? phaseStarted + retryBudgetMs : 0));
          }
        }
        this.running = undefined;
        return outcomes;
      })();
    }
    return this.running;
  }
}

async function runStep(entry: Entry, perStepMs: number, retryUntil: number): Promise<CleanupOutcome> {
  const started = performance.now();
  const base = { label: entry.label, ...(entry.room ? { room: entry.room } : {}) };
  let lastError = '';
  for (let attempt = 1; attempt <= 50; attempt++) {
    try {
      await withDeadline(entry.undo(), perStepMs, `cleanup "${entry.label}"`);
      return { ...base, ok: true, durationMs: performance.now() - started, attempts: attempt };
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
      if (entry.phase === 'remove' && GONE.test(lastError)) return { ...base, ok: true, durationMs: performance.now() - started, attempts: attempt };
      const wait = backoffMs(attempt);
      if (entry.phase !== 'remove' || HOPELESS.test(lastError) || performance.now() + wait >= retryUntil) {
        return { ...base, ok: false, error: lastError, durationMs: performance.now() - started, attempts: attempt };
      }
      await new Promise((r) => setTimeout(r, wait));
    }
  }
  return { ...base, ok: false, error: lastError, durationMs: performance.now() - started, attempts: 50 };
}

/** The exact command that removes rooms the doctor could not (credentials from the same place as this run). */
export function cleanupCommand(rooms: readonly string[], url?: string): string {
  return ['livekit-doctor cleanup --delete', ...(url ? [`--url ${url}`] : []), ...rooms.map((r) => `--room ${r}`)].join(' ');
}

export class DeadlineError extends Error {
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} did not finish within ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

/** Races a promise against a deadline; the promise itself is left to settle on its own. */
export function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(what, ms)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Resolves after `ms`, or rejects when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Resolves after `ms`, or early (never rejecting) when the signal aborts: for loops that check the signal themselves. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    // An already-aborted signal fires no 'abort' event: without this the whole pause would run.
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
