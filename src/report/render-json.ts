import type { Report } from '../core/model.js';

/**
 * The `--json` document: keys in a fixed order (the model's order for known shapes, alphabetical
 * inside free-form records such as evidence), 2-space indent, bigints as strings.
 */
export function renderJson(report: Report): string {
  return `${JSON.stringify(orderReport(report), null, 2)}\n`;
}

const REPORT_KEYS = ['schema', 'tool', 'startedAt', 'durationMs', 'command', 'target', 'server', 'checks', 'findings', 'timeline', 'summary', 'conclusion', 'exitCode'];
const TARGET_KEYS = ['url', 'apiKey', 'agentName', 'settings'];
const SERVER_KEYS = ['version', 'region', 'nodeId', 'edition', 'protocol', 'agentProtocol', 'clockOffsetMs', 'roundTripMs'];
const CHECK_KEYS = ['id', 'title', 'status', 'summary', 'details', 'cause', 'fix', 'skippedBecause', 'evidence', 'required', 'startedAtMs', 'durationMs'];
const REMEDY_KEYS = ['text', 'commands', 'links'];
const FINDING_KEYS = ['cause', 'title', 'rank', 'likelihood', 'evidence', 'fix', 'fromChecks'];
const EVENT_KEYS = ['atMs', 'source', 'type', 'detail'];
const SUMMARY_KEYS = ['passed', 'warned', 'failed', 'skipped', 'errored'];

function orderReport(report: Report): unknown {
  const out = ordered(report as unknown as Record<string, unknown>, REPORT_KEYS, {
    tool: (v) => ordered(v, ['name', 'version']),
    target: (v) =>
      ordered(v, TARGET_KEYS, { settings: (s) => mapValues(sortedRecord(s), (one) => ordered(one, ['shown', 'from'])) }),
    server: (v) => ordered(v, SERVER_KEYS),
    summary: (v) => ordered(v, SUMMARY_KEYS),
  });
  out.checks = (report.checks ?? []).map((check) =>
    ordered(check as unknown as Record<string, unknown>, CHECK_KEYS, { fix: (f) => ordered(f, REMEDY_KEYS), evidence: sortDeep }),
  );
  out.findings = (report.findings ?? []).map((finding) =>
    ordered(finding as unknown as Record<string, unknown>, FINDING_KEYS, { fix: (f) => ordered(f, REMEDY_KEYS) }),
  );
  out.timeline = (report.timeline ?? []).map((event) => ordered(event as unknown as Record<string, unknown>, EVENT_KEYS, { detail: sortDeep }));
  return out;
}

type Shaper = (value: Record<string, unknown>) => unknown;

/** Known keys first in the given order, then any others alphabetically; nested records sorted. */
function ordered(value: Record<string, unknown>, keys: string[], shapers: Record<string, Shaper> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const rest = Object.keys(value).filter((k) => !keys.includes(k)).sort();
  for (const key of [...keys, ...rest]) {
    const v = value[key];
    if (v === undefined) continue;
    const shaper = shapers[key];
    out[key] = shaper && v && typeof v === 'object' && !Array.isArray(v) ? shaper(v as Record<string, unknown>) : sortDeep(v);
  }
  return out;
}

function sortedRecord(value: Record<string, unknown>): Record<string, Record<string, unknown>> {
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, value[k] as Record<string, unknown>]));
}

function mapValues(value: Record<string, Record<string, unknown>>, fn: Shaper): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v && typeof v === 'object' ? fn(v) : v]));
}

function sortDeep(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(record).sort().map((k) => [k, sortDeep(record[k])]));
  }
  return value;
}
