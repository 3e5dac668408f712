import type { CheckResult, Finding, Remedy } from '../core/model.js';

/** The check results as the finding rules read them. */
export type FindingRule = (r: FindingInputs) => Omit<Finding, 'rank'> | undefined;

export class FindingInputs {
  private byId: Map<string, CheckResult>;
  constructor(readonly list: CheckResult[]) {
    this.byId = new Map(list.map((c) => [c.id, c]));
  }
  get(id: string): CheckResult | undefined {
    return this.byId.get(id);
  }
  status(id: string): CheckResult['status'] | undefined {
    return this.byId.get(id)?.status;
  }
  passed(id: string): boolean {
    const s = this.status(id);
    return s === 'pass' || s === 'warn';
  }
  failed(id: string): boolean {
    const s = this.status(id);
    return s === 'fail' || s === 'error';
  }
  /** The first required check, in order, that failed or broke. */
  firstBroken(): CheckResult | undefined {
    return this.list.find((c) => c.status === 'fail' || c.status === 'error');
  }
  line(id: string): string | undefined {
    const c = this.get(id);
    return c ? `${c.title}: ${c.summary}` : undefined;
  }
}

export const evidenceOf = (r: FindingInputs, ...ids: string[]) => ids.map((id) => r.line(id)).filter((l): l is string => !!l);
export const fixOf = (c: CheckResult | undefined, fallback: string): Remedy => c?.fix ?? { text: fallback };
