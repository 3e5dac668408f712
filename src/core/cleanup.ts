/**
 * Everything the doctor creates (rooms, dispatches, workers, participants) is registered here at
 * creation time. `runAll` undoes it in reverse order, on success, failure, SIGINT and SIGTERM.
 */
export interface CleanupOutcome {
  label: string;
  ok: boolean;
  error?: string;
  durationMs: number;
}

interface Entry {
  label: string;
  undo: () => Promise<void>;
}

export class CleanupList {
  private entries: Entry[] = [];
  private running: Promise<CleanupOutcome[]> | undefined;

  /** Registers an undo step; returns a function that removes it (when the resource was already released). */
  add(label: string, undo: () => Promise<void>): () => void {
    const entry = { label, undo };
    this.entries.push(entry);
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  get pending(): string[] {
    return this.entries.map((e) => e.label);
  }

  /** Runs every step once, newest first, each bounded by `perStepMs`. Concurrent callers share one run. */
  runAll(perStepMs = 5000): Promise<CleanupOutcome[]> {
    if (!this.running) {
      this.running = (async () => {
        const outcomes: CleanupOutcome[] = [];
        while (this.entries.length > 0) {
          const entry = this.entries.pop()!;
          const started = performance.now();
          try {
            await withDeadline(entry.undo(), perStepMs, `cleanup "${entry.label}"`);
            outcomes.push({ label: entry.label, ok: true, durationMs: performance.now() - started });
          } catch (err) {
            outcomes.push({
              label: entry.label,
              ok: false,
              error: err instanceof Error ? err.message : String(err),
              durationMs: performance.now() - started,
            });
          }
        }
        this.running = undefined;
        return outcomes;
      })();
    }
    return this.running;
  }
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
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
