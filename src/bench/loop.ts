import type { StepPlan } from './types.js';
import { pause } from '../core/cleanup.js';

/**
 * Runs `plan.dispatches` calls of `one`: closed loop (C in flight; a new one starts when one
 * finishes) or open loop (started at `ratePerS`, whatever the server's pace, the way real callers
 * arrive). `one` must itself be bounded and settle soon after `signal` aborts; once it aborts no new
 * dispatch starts. Resolves when every started call has settled.
 */
export async function runLoop(plan: StepPlan, one: (index: number) => Promise<void>, signal: AbortSignal): Promise<void> {
  if (plan.ratePerS !== undefined) return openLoop(plan.dispatches, plan.ratePerS, one, signal);
  return closedLoop(plan.dispatches, plan.concurrency ?? 1, one, signal);
}

async function closedLoop(total: number, concurrency: number, one: (index: number) => Promise<void>, signal: AbortSignal): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < total && !signal.aborted) {
      const index = next++;
      await one(index).catch(() => {});
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, total)) }, lane));
}

async function openLoop(total: number, ratePerS: number, one: (index: number) => Promise<void>, signal: AbortSignal): Promise<void> {
  const intervalMs = 1000 / ratePerS;
  const started = performance.now();
  const running: Promise<void>[] = [];
  for (let index = 0; index < total && !signal.aborted; index++) {
    // Scheduled against the step start, not the previous start, so timer lag does not accumulate.
    const wait = started + index * intervalMs - performance.now();
    if (wait > 0) await pause(wait, signal);
    if (signal.aborted) break;
    running.push(one(index).catch(() => {}));
  }
  await Promise.all(running);
}
