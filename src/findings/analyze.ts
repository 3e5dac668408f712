import type { CheckResult, Finding } from '../core/model.js';
import { conclude } from './conclusion.js';
import { FindingInputs, type FindingRule } from './inputs.js';
import { FINDING_RULES } from './index.js';

/**
 * From the checks together, the likely causes, ranked, with the evidence behind each.
 * Pure: a function of the results, so it is tested on plain data.
 */
export interface Analysis {
  findings: Finding[];
  conclusion: string;
}

/** Rules fire in list order (findings/index.ts: strongest evidence first); within a likelihood, the earlier rule ranks higher. */
export function analyze(results: CheckResult[], rules: FindingRule[] = FINDING_RULES): Analysis {
  const r = new FindingInputs(results);
  const fired = rules.map((rule) => rule(r)).filter((f): f is Omit<Finding, 'rank'> => !!f);
  const order = { high: 0, medium: 1, low: 2 };
  const findings = fired
    .map((f, i) => ({ f, i }))
    .sort((a, b) => order[a.f.likelihood] - order[b.f.likelihood] || a.i - b.i)
    .map(({ f }, i) => ({ ...f, rank: i + 1 }));
  return { findings, conclusion: conclude(r) };
}
