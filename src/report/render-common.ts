import type { CheckResult, CheckStatus, Report } from '../core/model.js';

/** Helpers shared by the renderers; all pure. */

export const STATUS_WORD: Record<CheckStatus, string> = {
  pass: 'passed',
  fail: 'failed',
  warn: 'warning',
  skip: 'skipped',
  error: 'error',
};

/** `N passed, N failed, N skipped`, plus warnings and errors only when there are any. */
export function summaryLine(report: Report): string {
  const s = report.summary;
  const parts = [`${s.passed} passed`, `${s.failed} failed`, `${s.skipped} skipped`];
  if (s.warned > 0) parts.push(`${s.warned} ${s.warned === 1 ? 'warning' : 'warnings'}`);
  if (s.errored > 0) parts.push(`${s.errored} ${s.errored === 1 ? 'error' : 'errors'}`);
  return parts.join(', ');
}

/** Human duration: `0.4 ms`, `212 ms`, `5.0 s`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '?';
  if (ms < 10) return `${Math.round(ms * 10) / 10} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** Wall-clock UTC time of a run-relative instant. */
export function isoAt(report: Report, atMs: number): string {
  const start = Date.parse(report.startedAt);
  if (Number.isNaN(start)) return `+${formatMs(atMs)}`;
  return new Date(start + atMs).toISOString();
}

/** The check group from its id prefix: `probe.job-received` → `probe`. */
export function checkGroup(check: Pick<CheckResult, 'id'>): string {
  const dot = check.id.indexOf('.');
  return dot > 0 ? check.id.slice(0, dot) : check.id;
}

/** Evidence values as short `key=value` text (objects as compact JSON). */
export function evidenceLines(evidence: Record<string, unknown> | undefined): string[] {
  if (!evidence) return [];
  return Object.entries(evidence).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v, bigintSafe)}`);
}

export function bigintSafe(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Compact one-line text for a timeline event's detail. */
export function detailText(detail: Record<string, unknown> | undefined): string {
  if (!detail) return '';
  return Object.entries(detail)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v, bigintSafe)}`)
    .join(' ');
}

/** What each status means for someone reading a failing run. */
export function failedChecks(report: Report): CheckResult[] {
  return report.checks.filter((c) => c.status === 'fail' || c.status === 'error');
}
