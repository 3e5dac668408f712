import type { CheckResult, CheckStatus } from '../core/model.js';
import { DeadlineError } from '../core/cleanup.js';
import type { Check, CheckContext, CheckOptions, Outcome } from './check.js';

export interface Selection {
  only?: string[];
  skip?: string[];
}

export interface RunHooks {
  onStart?(check: Check): void;
  onResult?(result: CheckResult): void;
}

/** A check whose id matches a selector exactly, or as a group prefix (`probe` matches `probe.*`). */
function matches(id: string, selectors: string[]): boolean {
  return selectors.some((s) => id === s || id.startsWith(`${s}.`));
}

/**
 * The checks of this run, in registry order: those that apply to the options, narrowed by --only (plus what
 * they need, transitively). --skip is applied when running, so that dependents say what they were missing.
 */
export function planChecks(registry: Check[], options: CheckOptions, selection: Selection = {}): Check[] {
  const applicable = registry.filter((c) => c.appliesTo?.(options) ?? true);
  if (!selection.only?.length) return applicable;
  const byId = new Map(applicable.map((c) => [c.id, c]));
  const wanted = new Set<string>();
  const want = (c: Check) => {
    if (wanted.has(c.id)) return;
    wanted.add(c.id);
    for (const n of c.needs) {
      const dep = byId.get(n);
      if (dep) want(dep);
    }
  };
  for (const c of applicable) if (matches(c.id, selection.only) || c.id === 'cleanup') want(c);
  return applicable.filter((c) => wanted.has(c.id));
}

/** Unknown ids in --only/--skip are a usage error: returns the offending selectors. */
export function unknownSelectors(registry: Check[], selection: Selection): string[] {
  const all = [...(selection.only ?? []), ...(selection.skip ?? [])];
  return all.filter((s) => !registry.some((c) => c.id === s || c.id.startsWith(`${s}.`)));
}

const SATISFIED: CheckStatus[] = ['pass', 'warn'];

/**
 * Runs checks concurrently as their needs settle, records each in a fixed order, and never dies:
 * a throw or a missed deadline becomes `error`. A check marked `runsLast` (cleanup) waits for all others.
 */
export async function runChecks(
  checks: Check[],
  base: Omit<CheckContext, 'signal'>,
  interrupt: AbortSignal,
  selection: Selection = {},
  hooks: RunHooks = {},
): Promise<CheckResult[]> {
  const promises = new Map<string, Promise<CheckResult>>();
  const others: Promise<CheckResult>[] = [];

  const runOne = async (check: Check): Promise<CheckResult> => {
    const needs = await Promise.all(check.needs.map((n) => promises.get(n)).filter((p): p is Promise<CheckResult> => !!p));
    const after = typeof check.after === 'function' ? check.after(base.options) : (check.after ?? []);
    if (after.length) await Promise.allSettled(after.map((id) => promises.get(id)).filter((p) => !!p));
    if (check.runsLast) await Promise.allSettled(others);
    const startedAtMs = base.timeline.clock.now();
    const record = (o: Outcome, durationMs = 0): CheckResult => {
      const result: CheckResult = {
        id: check.id,
        title: check.title,
        required: check.required ?? true,
        startedAtMs,
        durationMs: Math.round(durationMs * 10) / 10,
        ...o,
        status: o.status,
      };
      hooks.onResult?.(result);
      return result;
    };
    if (selection.skip?.length && matches(check.id, selection.skip)) {
      return record({ status: 'skip', summary: 'skipped by --skip', skippedBecause: '--skip' });
    }
    const unmet = needs.find((r) => !SATISFIED.includes(r.status));
    if (unmet) {
      return record({ status: 'skip', summary: `needs "${unmet.title}", which did not pass`, skippedBecause: unmet.id });
    }
    if (interrupt.aborted && !check.runsLast) {
      return record({ status: 'skip', summary: 'interrupted before it ran', skippedBecause: 'interrupt' });
    }
    hooks.onStart?.(check);
    const deadlineMs = typeof check.deadlineMs === 'function' ? check.deadlineMs(base as CheckContext) : check.deadlineMs;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DeadlineError(`check "${check.title}"`, deadlineMs)), deadlineMs);
    // Cleanup must still run after Ctrl-C, so it does not listen to the interrupt.
    const onInterrupt = () => controller.abort(new Error('interrupted'));
    if (!check.runsLast) interrupt.addEventListener('abort', onInterrupt, { once: true });
    base.timeline.add('runner', 'check-start', { check: check.id });
    const t0 = performance.now();
    try {
      const outcome = await Promise.race([
        check.run({ ...base, signal: controller.signal }),
        new Promise<never>((_, reject) => {
          controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
        }),
      ]);
      return record(outcome, performance.now() - t0);
    } catch (err) {
      const elapsed = performance.now() - t0;
      if (err instanceof DeadlineError) {
        return record(
          {
            status: 'error',
            summary: `did not finish within ${(deadlineMs / 1000).toFixed(1)} s`,
            cause: 'check-deadline',
            fix: { text: 'the step hung: check the network path to the server, or raise --timeout / --wait' },
          },
          elapsed,
        );
      }
      if (interrupt.aborted) return record({ status: 'error', summary: 'interrupted while running', cause: 'interrupted' }, elapsed);
      const message = err instanceof Error ? err.message : String(err);
      return record(
        { status: 'error', summary: `the check itself broke: ${message}`, cause: 'check-crashed', evidence: { error: message } },
        elapsed,
      );
    } finally {
      clearTimeout(timer);
      interrupt.removeEventListener('abort', onInterrupt);
      base.timeline.add('runner', 'check-end', { check: check.id });
    }
  };

  for (const check of checks) {
    const p = runOne(check);
    promises.set(check.id, p);
    if (!check.runsLast) others.push(p);
  }
  return Promise.all(checks.map((c) => promises.get(c.id)!));
}
