import { WorkerError } from './errors.js';

/** Lets callers wait for a condition over state that changes on events; every wait is bounded. */
export class Waiter {
  private listeners = new Set<() => void>();

  /** Call after every state change. */
  notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Resolves true once `ready()` holds, false at the deadline; rejects when the signal aborts. */
  until(ready: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (ready()) return Promise.resolve(true);
    if (signal?.aborted) return Promise.reject(new WorkerError('aborted', 'interrupted while waiting'));
    return new Promise((resolve, reject) => {
      const done = (fn: () => void) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const check = () => {
        if (ready()) done(() => resolve(true));
      };
      const onAbort = () => done(() => reject(new WorkerError('aborted', 'interrupted while waiting')));
      const timer = setTimeout(() => done(() => resolve(ready())), Math.max(0, timeoutMs));
      this.listeners.add(check);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
