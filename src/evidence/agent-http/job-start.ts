/**
 * Whether an accepted job ever reached a job process, from the agent's own `active_jobs` (`GET /worker`).
 * Both agent SDKs count a job only once a job process runs it (livekit-agents 1.8.9 `active_jobs` =
 * processes with a running job; agents-js 1.9.0 the same), and both wait for a ready process first: when
 * prewarm / setup outlasts initialize_process_timeout / initializeProcessTimeout, the accepted job waits for
 * a process that never gets ready, and the count does not move (measured with the slow-init fixtures). Pure.
 */

/** One endpoint's `active_jobs`, read repeatedly while the doctor waited for the agent to join. */
export interface ActiveJobsWatch {
  url: string;
  /** The reading before the dispatch. */
  before?: number;
  highest?: number;
  last?: number;
  /** Readings that carried active_jobs. */
  readings: number;
  /** Run ms of the first and last of them. */
  fromMs?: number;
  toMs?: number;
}

/** Readings spread over at least this long: a job process that crashed in between would have been counted once. */
const MIN_SPAN_MS = 2_000;
const MIN_READINGS = 3;

/**
 * Every endpoint was read often enough over the wait and its count never rose above the reading before the
 * dispatch: no process of these agents ran the job at any of those moments.
 */
export function jobNeverReachedAProcess(watches: readonly ActiveJobsWatch[]): boolean {
  if (!watches.length) return false;
  return watches.every(
    (w) =>
      w.before !== undefined &&
      w.highest !== undefined &&
      w.readings >= MIN_READINGS &&
      w.fromMs !== undefined &&
      w.toMs !== undefined &&
      w.toMs - w.fromMs >= MIN_SPAN_MS &&
      w.highest <= w.before,
  );
}

/** "http://…/: active_jobs stayed at 0 in 41 readings over 29.4 s after the assignment" */
export function describeActiveJobsWatch(w: ActiveJobsWatch): string {
  const span = w.fromMs !== undefined && w.toMs !== undefined ? ` over ${((w.toMs - w.fromMs) / 1000).toFixed(1)} s` : '';
  if (w.highest === undefined) return `${w.url}: /worker gave no active_jobs while the doctor waited`;
  const moved = w.before !== undefined && w.highest > w.before;
  return moved
    ? `${w.url}: active_jobs rose from ${w.before} to ${w.highest} (last ${w.last ?? '?'}) in ${w.readings} readings${span} while the doctor waited`
    : `${w.url}: active_jobs stayed at ${w.before ?? w.highest} in ${w.readings} readings${span} while the doctor waited for the agent to join`;
}
