import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { Report } from '../core/model.js';
import type { CheckRepeatStats, RepeatSummary, Spread } from './repeat.js';
import { formatMs } from './render-common.js';
import { escapeData, escapeProperty } from './render-github.js';
import { renderJunit } from './render-junit.js';
import { mdCell, mdInline } from './render-markdown.js';

/** Renderers for `check --repeat`: pure functions of the runs and their summary. */

export function percent(rate: number): string {
  return `${Math.round(rate * 100)} %`;
}

function results(check: CheckRepeatStats): string {
  const parts = Object.entries(check.counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`);
  return parts.join(', ');
}

function causes(check: CheckRepeatStats): string {
  return Object.entries(check.causes)
    .map(([cause, n]) => `${cause} ×${n}`)
    .join(', ');
}

// No colour from cli-table3 itself (see table.ts) and no rule between rows: a run of N checks stays N lines.
const TABLE_STYLE = { style: { head: [], border: [] }, chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } };

const spreadCells = (s: Spread | undefined) => (s ? [formatMs(s.median), formatMs(s.p95), formatMs(s.max)] : ['-', '-', '-']);

/** Pass rate and duration spread per check, the key latencies, and a closing line. */
export function renderRepeatTerminal(runs: Report[], summary: RepeatSummary, options: { color: boolean }): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const first = runs[0];
  const interval = summary.intervalMs > 0 ? `, ${formatMs(summary.intervalMs)} apart` : '';
  const lines = [c.bold(`livekit-doctor ${first?.tool.version ?? ''}`) + c.dim(` · check × ${summary.requestedRuns}${interval}${first?.target.url ? ` · ${first.target.url}` : ''}`), ''];
  const checks = new Table({ head: ['check', 'pass rate', 'results', 'causes', 'median', 'p95', 'max'], ...TABLE_STYLE });
  for (const check of summary.checks) {
    const rate = percent(check.passRate);
    const painted = check.passRate === 1 ? c.green(rate) : check.passRate === 0 ? c.red(rate) : c.yellow(rate);
    checks.push([check.id, painted, results(check), causes(check) || '-', ...spreadCells(check.durationMs)]);
  }
  lines.push(checks.toString());
  if (summary.latencies.length > 0) {
    const latencies = new Table({ head: ['latency', 'from check', 'samples', 'min', 'median', 'p95', 'max'], ...TABLE_STYLE });
    for (const l of summary.latencies) latencies.push([l.label, l.fromCheck, String(l.spreadMs.samples), formatMs(l.spreadMs.min), ...spreadCells(l.spreadMs)]);
    lines.push('', latencies.toString());
  }
  lines.push('', closingLine(runs, summary, c));
  return `${lines.join('\n')}\n`;
}

function closingLine(runs: Report[], summary: RepeatSummary, c: InstanceType<typeof Chalk>): string {
  const failing = runs.map((r, i) => ({ run: i + 1, code: r.exitCode })).filter((r) => r.code !== 0 && r.code !== 130 && r.code !== 143);
  let line = `${summary.passedRuns} of ${summary.completedRuns} runs passed`;
  if (failing.length > 0) line += `; failed: ${failing.map((f) => `run ${f.run} (exit ${f.code})`).join(', ')}`;
  const lastInterrupted = runs.length > 0 && [130, 143].includes(runs[runs.length - 1]!.exitCode);
  if (summary.interrupted) line += `; interrupted ${lastInterrupted ? 'during' : 'after'} run ${runs.length} of ${summary.requestedRuns}`;
  else if (summary.completedRuns < summary.requestedRuns) line += `; stopped after run ${runs.length} of ${summary.requestedRuns}`;
  return summary.exitCode === 0 ? c.green(line) : c.red(line);
}

/** One `::error`/`::warning` per check that did not pass in every run, with its rate and causes. */
export function renderRepeatAnnotations(runs: Report[], summary: RepeatSummary, options: { strict?: boolean } = {}): string {
  const lines: string[] = [];
  for (const check of summary.checks) {
    const bad = check.counts.fail + check.counts.error;
    const level = bad > 0 ? (check.required || options.strict ? 'error' : 'warning') : check.counts.warn > 0 ? (options.strict ? 'error' : 'warning') : undefined;
    if (!level) continue;
    const fix = runs.flatMap((r) => r.checks).find((r) => r.id === check.id && r.status !== 'pass' && r.fix)?.fix;
    const message = [
      `${results(check)} in ${check.runs} runs (pass rate ${percent(check.passRate)})`,
      causes(check) && `causes: ${causes(check)}`,
      fix && `fix: ${fix.text}`,
    ].filter(Boolean).join('\n');
    lines.push(`::${level} title=${escapeProperty(`livekit-doctor: ${check.title}`)}::${escapeData(message)}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** Markdown for `$GITHUB_STEP_SUMMARY`: the pass-rate table and the latency spreads. */
export function renderRepeatMarkdown(runs: Report[], summary: RepeatSummary): string {
  const ok = summary.exitCode === 0;
  const parts = [
    `### ${ok ? '✅' : '❌'} livekit-doctor: ${summary.passedRuns} of ${summary.completedRuns} runs passed`,
    '',
    '| Check | Pass rate | Results | Causes | Median | p95 | Max |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...summary.checks.map((c) => `| ${[mdCell(c.title), percent(c.passRate), results(c), mdCell(causes(c) || '-'), ...spreadCells(c.durationMs)].join(' | ')} |`),
  ];
  if (summary.latencies.length > 0) {
    parts.push('', '| Latency | Samples | Median | p95 | Max |', '| --- | --- | --- | --- | --- |');
    for (const l of summary.latencies) parts.push(`| ${[mdCell(l.label), String(l.spreadMs.samples), ...spreadCells(l.spreadMs)].join(' | ')} |`);
  }
  if (runs[0]?.target.url) parts.push('', `Target: \`${mdInline(runs[0].target.url)}\``);
  return `${parts.join('\n')}\n`;
}

/**
 * JUnit with one <testsuite> per run (named `livekit-doctor run i/N`), so a CI test view shows
 * which run failed; each suite is the single-run renderer's own suite.
 */
export function renderRepeatJunit(runs: Report[], options: { strict?: boolean } = {}): string {
  const totals = { tests: 0, failures: 0, skipped: 0, time: 0 };
  const suites = runs.map((report, index) => {
    const xml = renderJunit(report, options);
    const start = xml.indexOf('  <testsuite ');
    const end = xml.lastIndexOf('</testsuite>') + '</testsuite>'.length;
    const suite = xml.slice(start, end).replace('name="livekit-doctor"', `name="livekit-doctor run ${index + 1}/${runs.length}"`);
    const open = suite.slice(0, suite.indexOf('>'));
    totals.tests += Number(/ tests="(\d+)"/.exec(open)?.[1] ?? 0);
    totals.failures += Number(/ failures="(\d+)"/.exec(open)?.[1] ?? 0);
    totals.skipped += Number(/ skipped="(\d+)"/.exec(open)?.[1] ?? 0);
    totals.time += report.durationMs;
    return suite;
  });
  const head = `<testsuites name="livekit-doctor" tests="${totals.tests}" failures="${totals.failures}" errors="0" skipped="${totals.skipped}" time="${(totals.time / 1000).toFixed(3)}">`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', head, ...suites, '</testsuites>', ''].join('\n');
}
