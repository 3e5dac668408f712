import { readFileSync, writeFileSync } from 'node:fs';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { REPORT_SCHEMA, type Report, type SettingSource } from '../core/model.js';
import { UsageError } from '../core/errors.js';
import { maskKey, redact, redactDeep } from '../core/redact.js';
import { collectEnvironment } from './environment.js';
import { renderHtml } from './render-html.js';
import { renderJson } from './render-json.js';
import { renderMarkdown } from './render-markdown.js';
import { renderTerminal } from './render-terminal.js';
import { renderSupportMessage } from './support-message.js';

export interface BundleOptions {
  /** The resolved settings as shown to the user; default: the report's own `target.settings`. */
  settings?: Record<string, SettingSource>;
  /** Adds `report.txt`: the terminal checklist with evidence and durations. */
  verbose?: boolean;
}

export const BUNDLE_FILES = [
  'report.json',
  'report.md',
  'report.html',
  'environment.json',
  'settings.json',
  'protocol-log.jsonl',
  'support-message.md',
] as const;

/**
 * The evidence bundle as zip bytes. Every file is redacted twice: the Report before rendering and
 * each rendered text before zipping, so that a secret or token that slipped into any field cannot
 * leave in the bundle.
 */
export function buildBundle(input: Report, options: BundleOptions = {}): Uint8Array {
  // The bundle is the one output meant to leave the machine: besides the redaction at report build,
  // it redacts the Report again and each rendered text once more (redactRendered).
  const report = redactDeep(input);
  const texts: Record<string, string> = {
    'report.json': renderJson(report),
    'report.md': renderMarkdown(report),
    'report.html': renderHtml(report),
    'environment.json': json(collectEnvironment(report)),
    'settings.json': json(safeSettings(options.settings ?? input.target.settings)),
    'protocol-log.jsonl': report.timeline.map((event) => JSON.stringify(event, bigintAsString)).join('\n') + '\n',
    'support-message.md': renderSupportMessage(report),
  };
  if (options.verbose) texts['report.txt'] = renderTerminal(report, { color: false, verbose: true });
  const mtime = new Date(Date.parse(report.startedAt) || Date.now());
  const files: Zippable = {};
  for (const [name, text] of Object.entries(texts)) files[name] = [strToU8(redactRendered(text)), { mtime }];
  return zipSync(files, { level: 6 });
}

export function writeBundle(path: string, report: Report, options: BundleOptions = {}): Uint8Array {
  const bytes = buildBundle(report, options);
  writeFileSync(path, bytes);
  return bytes;
}

// Already-redacted `Authorization: [redacted]` / `token=[redacted]`: redact() would treat the
// characters after the marker (`\"`, `</td>`, the next word) as part of the value and eat them.
const REDACTED_ALREADY = /("?authorization"?\s*[:=]\s*"?|\b(?:access_token|token|worker_token)=)\[redacted\]/gi;

/** The last pass over a rendered file: redacts anything left, without mangling markup around markers. */
export function redactRendered(text: string): string {
  const held: string[] = [];
  const guarded = text.replace(REDACTED_ALREADY, (match) => `\u0001${held.push(match) - 1}\u0001`);
  return redact(guarded).replace(/\u0001(\d+)\u0001/g, (_m, index: string) => held[Number(index)] ?? '[redacted]');
}

/** Settings with the key masked and any secret-like value replaced by `(set)`/`(not set)`. */
function safeSettings(settings: Record<string, SettingSource>): Record<string, SettingSource> {
  const out: Record<string, SettingSource> = {};
  for (const [name, setting] of Object.entries(redactDeep(settings))) {
    let shown = String(setting?.shown ?? '');
    if (/secret|token|password/i.test(name)) shown = /^\(.*\)$/.test(shown) ? shown : shown ? '(set)' : '(not set)';
    else if (/^api_?key$/i.test(name) && !shown.endsWith('…') && !/^\(.*\)$/.test(shown)) shown = maskKey(shown);
    out[name] = { shown, from: String(setting?.from ?? '') };
  }
  return out;
}

function json(value: unknown): string {
  return `${JSON.stringify(value, bigintAsString, 2)}\n`;
}

function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** `livekit-doctor-bundle-20250314T092653Z.zip`, from the run's start time. */
export function defaultBundleName(report: Report): string {
  const stamp = (Date.parse(report.startedAt) ? new Date(report.startedAt) : new Date()).toISOString();
  return `livekit-doctor-bundle-${stamp.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}.zip`;
}

/** Reads a saved `--json` report; a missing, unparsable or foreign file is a one-line usage error. */
export function loadReportFile(path: string): Report {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read report ${path}: ${code === 'ENOENT' ? 'no such file' : code ?? String(err)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${path} is not JSON; save a report with \`livekit-doctor check --json > ${path}\``);
  }
  const record = value as Partial<Report> | null;
  if (!record || typeof record !== 'object' || record.schema !== REPORT_SCHEMA) {
    const found = record && typeof record === 'object' && 'schema' in record ? ` (found schema ${JSON.stringify(record.schema)})` : '';
    throw new UsageError(`${path} is not a livekit-doctor report: expected schema "${REPORT_SCHEMA}"${found}`);
  }
  if (!Array.isArray(record.checks) || !Array.isArray(record.timeline) || !record.target || !record.summary) {
    throw new UsageError(`${path} has schema "${REPORT_SCHEMA}" but lacks checks, timeline, target or summary; it may be truncated`);
  }
  // A report file is outside input: it may come from an older version or be edited by hand.
  return redactDeep({ findings: [], server: {}, conclusion: '', ...record } as Report);
}
