import type { CheckResult, CheckStatus, Report } from '../core/model.js';

/**
 * `check --repeat N`: what N reports say together. Pure: reports in, summary out. A run cut short by
 * Ctrl-C/SIGTERM stays in `runs` (its cleanup happened) but not in the statistics, which would
 * otherwise count checks that never got the chance to run as failures.
 */
export const REPEAT_SCHEMA = 'livekit-doctor/repeat@1';

export interface Spread {
  samples: number;
  min: number;
  median: number;
  p95: number;
  max: number;
}

export interface CheckRepeatStats {
  id: string;
  title: string;
  required: boolean;
  /** Completed runs that had this check in their report. */
  runs: number;
  counts: Record<CheckStatus, number>;
  /** passed / runs, 0..1. */
  passRate: number;
  /** Cause id → how many runs ended this check with it. */
  causes: Record<string, number>;
  /** durationMs of the runs where the check ran (skips take no time and are left out). */
  durationMs?: Spread;
}

export interface LatencyStats {
  id: string;
  label: string;
  fromCheck: string;
  spreadMs: Spread;
}

export interface RepeatSummary {
  requestedRuns: number;
  /** Runs that finished (not interrupted); the statistics cover these. */
  completedRuns: number;
  passedRuns: number;
  failedRuns: number;
  interrupted: boolean;
  intervalMs: number;
  /** The worst exit code of any run (130/143 win: the user stopped it). */
  exitCode: number;
  checks: CheckRepeatStats[];
  latencies: LatencyStats[];
}

export interface RepeatDocument {
  schema: typeof REPEAT_SCHEMA;
  runs: Report[];
  summary: RepeatSummary;
}

const INTERRUPTED = new Set([130, 143]);

type Pick = (evidence: Record<string, unknown>) => unknown;

/** The latencies worth a spread, where each check puts them in its evidence. */
export const KEY_LATENCIES: { id: string; label: string; checks: string[]; pick: Pick }[] = [
  { id: 'probe.job-request', label: 'probe job request after dispatch', checks: ['probe.job-received'], pick: (e) => e.latencyMs },
  { id: 'probe.join', label: 'probe join after assignment', checks: ['probe.joined'], pick: (e) => e.joinMs },
  {
    id: 'agent.join',
    label: 'agent join',
    checks: ['agent.joined', 'token.agent-joined'],
    pick: (e) => e.latencyMs ?? (e.agent as Record<string, unknown> | undefined)?.afterJoinMs ?? e.joinMs,
  },
];

export interface SummarizeOptions {
  requestedRuns?: number;
  intervalMs?: number;
  /** Exit code of a signal that stopped the loop between runs (no run carries it then). */
  interruptedWith?: number;
}

export function summarizeRuns(reports: Report[], options: SummarizeOptions = {}): RepeatSummary {
  const completed = reports.filter((r) => !INTERRUPTED.has(r.exitCode));
  return {
    requestedRuns: options.requestedRuns ?? reports.length,
    completedRuns: completed.length,
    passedRuns: completed.filter((r) => r.exitCode === 0).length,
    failedRuns: completed.filter((r) => r.exitCode !== 0).length,
    interrupted: completed.length < reports.length || options.interruptedWith !== undefined,
    intervalMs: options.intervalMs ?? 0,
    exitCode: options.interruptedWith ?? worstExitCode(reports),
    checks: checkStats(completed),
    latencies: latencyStats(completed),
  };
}

/** Interrupts first, then the highest code: 3 (internal) > 2 (settings) > 1 (failed) > 0. */
export function worstExitCode(reports: Report[]): number {
  const interrupted = reports.find((r) => INTERRUPTED.has(r.exitCode));
  if (interrupted) return interrupted.exitCode;
  return reports.reduce((worst, r) => Math.max(worst, r.exitCode), 0);
}

function checkStats(reports: Report[]): CheckRepeatStats[] {
  const byId = new Map<string, CheckResult[]>();
  for (const report of reports) for (const check of report.checks) byId.set(check.id, [...(byId.get(check.id) ?? []), check]);
  return [...byId.entries()].map(([id, results]) => {
    const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0, error: 0 };
    const causes: Record<string, number> = {};
    for (const r of results) {
      counts[r.status] += 1;
      const cause = r.status === 'skip' ? (r.skippedBecause ? `needs ${r.skippedBecause}` : undefined) : r.status !== 'pass' ? r.cause ?? r.status : undefined;
      if (cause) causes[cause] = (causes[cause] ?? 0) + 1;
    }
    const last = results[results.length - 1]!;
    return {
      id,
      title: last.title,
      required: results.some((r) => r.required),
      runs: results.length,
      counts,
      passRate: counts.pass / results.length,
      causes,
      durationMs: spreadOf(results.filter((r) => r.status !== 'skip').map((r) => r.durationMs)),
    };
  });
}

function latencyStats(reports: Report[]): LatencyStats[] {
  const out: LatencyStats[] = [];
  for (const key of KEY_LATENCIES) {
    for (const checkId of key.checks) {
      const values = reports
        .map((r) => r.checks.find((c) => c.id === checkId))
        .filter((c): c is CheckResult => !!c && c.status !== 'skip' && !!c.evidence)
        .map((c) => key.pick(c.evidence!))
        .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
      const spreadMs = spreadOf(values);
      if (spreadMs) {
        out.push({ id: key.id, label: key.label, fromCheck: checkId, spreadMs });
        break;
      }
    }
  }
  return out;
}

/** min, median (mean of the middle two for even counts), nearest-rank p95, max; undefined for no samples. */
export function spreadOf(values: number[]): Spread | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { samples: n, min: sorted[0]!, median, p95: sorted[Math.ceil(0.95 * n) - 1]!, max: sorted[n - 1]! };
}

export function repeatDocument(runs: Report[], summary: RepeatSummary): RepeatDocument {
  return { schema: REPEAT_SCHEMA, runs, summary };
}

/** The run a bundle or a single-report renderer should show: the first with the worst exit code. */
export function worstRun(reports: Report[]): Report | undefined {
  const worst = worstExitCode(reports);
  return reports.find((r) => r.exitCode === worst) ?? reports[reports.length - 1];
}
