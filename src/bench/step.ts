import { classifyLoss, countLosses, stageLatency } from './loss.js';
import { round1, summarize } from './stats.js';
import { STAGES, type BenchTarget, type DispatchSample, type Stage, type StepPlan, type StepResult } from './types.js';

/**
 * The OSS server (v1.13.5) waits this long for an affinity answer before it picks a worker
 * (psrpc DefaultAffinityShortCircuit): no job request can arrive sooner. Shown as the floor.
 */
export const SELECTION_WINDOW_MS = 200;
/** LiveKit's published dispatch figure ("under 150 ms"), for comparison. */
export const PUBLISHED_DISPATCH_MS = 150;

export interface StepTiming {
  startedAtMs: number;
  durationMs: number;
  timeoutMs: number;
  /** Run-clock ms of an interrupt during the step: dispatches still within their deadline then are unfinished, not lost. */
  interruptedAtMs?: number;
}

/** Classifies every sample and summarises the step. */
export function buildStepResult(label: string, plan: StepPlan, timing: StepTiming, samples: DispatchSample[], target: BenchTarget): StepResult {
  const { startedAtMs, durationMs, timeoutMs, interruptedAtMs } = timing;
  for (const s of samples) {
    s.lost = classifyLoss(s, target);
    if (s.lost && interruptedAtMs !== undefined && s.sentAtMs + timeoutMs > interruptedAtMs) s.unfinished = true;
  }
  const completed = samples.filter((s) => s.joinedAtMs !== undefined).length;
  const stages: StepResult['stages'] = {};
  for (const stage of STAGES) {
    const summary = summarize(latencies(samples, stage));
    if (summary) stages[stage] = summary;
  }
  const job = latencies(samples, 'job');
  return {
    label,
    plan,
    startedAtMs,
    durationMs: round1(durationMs),
    offered: samples.length,
    completed,
    throughputPerS: durationMs > 0 ? round1((completed * 1000) / durationMs) : 0,
    stages,
    ...(job.length ? { jobAboveFloor: summarize(job.map((v) => v - SELECTION_WINDOW_MS)) } : {}),
    lost: countLosses(samples),
    unfinished: samples.filter((s) => s.unfinished).length,
    samples,
  };
}

function latencies(samples: readonly DispatchSample[], stage: Stage): number[] {
  return samples.map((s) => stageLatency(s, stage)).filter((v): v is number => v !== undefined);
}
