import type { Finding } from '../core/model.js';
import type { FindingInputs, FindingRule } from './inputs.js';

type Likelihood = Finding['likelihood'];

/** A rule that fires when `checkId` ended (fail or warn) with one of these causes. */
export function causeRule(
  checkId: string,
  titles: Record<string, [string, Likelihood]>,
  alsoEvidence: string[] = [],
  /** Another finding already tells the same story with stronger evidence. */
  supersededBy?: (r: FindingInputs, cause: string) => boolean,
): FindingRule {
  return (r: FindingInputs) => {
    const c = r.get(checkId);
    if (!c || (c.status !== 'fail' && c.status !== 'warn') || !c.cause || !titles[c.cause]) return undefined;
    if (supersededBy?.(r, c.cause)) return undefined;
    const [title, likelihood] = titles[c.cause]!;
    const lines = [checkId, ...alsoEvidence].map((id) => r.line(id)).filter((l): l is string => !!l);
    return { cause: c.cause, title, likelihood, evidence: [...lines, ...(c.details ?? []).slice(0, 6)], fix: c.fix ?? { text: 'see the check above' }, fromChecks: [checkId] };
  };
}
