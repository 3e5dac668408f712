import type { BenchTarget, DispatchSample, LossClass, Stage, StepResult } from './types.js';

/** Why a dispatch did not complete, from what was seen of it; undefined when it completed. */
export function classifyLoss(sample: DispatchSample, target: BenchTarget): LossClass | undefined {
  if (sample.joinedAtMs !== undefined) return undefined;
  if (sample.answeredAtMs === undefined) return 'dispatch-failed';
  if (target === 'agent') return 'no-agent-joined';
  if (sample.jobRequestAtMs === undefined) return 'never-offered';
  if (sample.assignedAtMs === undefined) return 'answer-timeout';
  return 'never-joined';
}

/** Latency of one stage for one dispatch, from the moment right before CreateDispatch was sent. */
export function stageLatency(sample: DispatchSample, stage: Stage): number | undefined {
  const at = { api: sample.answeredAtMs, job: sample.jobRequestAtMs, assign: sample.assignedAtMs, join: sample.joinedAtMs }[stage];
  return at === undefined ? undefined : at - sample.sentAtMs;
}

export function countLosses(samples: readonly DispatchSample[]): StepResult['lost'] {
  const byClass: Partial<Record<LossClass, number>> = {};
  let total = 0;
  for (const s of samples) {
    if (!s.lost || s.unfinished) continue;
    total++;
    byClass[s.lost] = (byClass[s.lost] ?? 0) + 1;
  }
  return { total, byClass };
}
