import { Chalk, type ChalkInstance } from 'chalk';
import type { CheckResult, CheckStatus, Finding, Remedy, Report } from '../core/model.js';
import { evidenceLines, formatMs, summaryLine } from './render-common.js';

export interface TerminalOptions {
  color: boolean;
  verbose: boolean;
}

/** Glyphs stay distinct without colour: the fail/error pair differs by the `!`. */
export const STATUS_GLYPH: Record<CheckStatus, string> = {
  pass: '✔',
  fail: '✘',
  warn: '!',
  skip: '–',
  error: '✘!',
};

const INDENT = '     ';

/** The flutter-doctor style checklist, findings, conclusion and the count line, as one string. */
export function renderTerminal(report: Report, options: TerminalOptions): string {
  const c = new Chalk({ level: options.color ? 1 : 0 });
  const lines: string[] = [];
  const target = [report.command, report.target.url, report.target.agentName && `agent "${report.target.agentName}"`]
    .filter(Boolean)
    .join(' · ');
  lines.push(c.bold(`livekit-doctor ${report.tool.version}`) + c.dim(` · ${target}`), '');

  const titles = new Map(report.checks.map((check) => [check.id, check.title]));
  for (const check of report.checks) lines.push(...checkLines(check, titles, c, options.verbose));

  if (report.findings.length > 0) {
    lines.push('', c.bold('Findings'));
    for (const finding of [...report.findings].sort((a, b) => a.rank - b.rank)) lines.push(...findingLines(finding, c));
  }
  if (report.conclusion) lines.push('', report.conclusion);
  if (options.verbose) lines.push(c.dim(`Run took ${formatMs(report.durationMs)}, started ${report.startedAt}.`));
  lines.push('', colourSummary(summaryLine(report), report, c));
  return `${lines.join('\n')}\n`;
}

function checkLines(check: CheckResult, titles: Map<string, string>, c: ChalkInstance, verbose: boolean): string[] {
  const glyph = paint(c, check.status, STATUS_GLYPH[check.status].padEnd(2));
  const duration = verbose && check.status !== 'skip' ? c.dim(` (${formatMs(check.durationMs)})`) : '';
  const optional = !check.required && check.status !== 'pass' ? c.dim(' [optional]') : '';
  if (check.status === 'skip') {
    const needed = check.skippedBecause;
    const why = needed ? `skipped, needs “${titles.get(needed) ?? needed}” (${needed})` : check.summary;
    return [`${glyph} ${c.dim(check.title)} ${c.dim(`— ${why}`)}`];
  }
  const lines = [`${glyph} ${check.title} — ${check.summary}${optional}${duration}`];
  if (check.status !== 'pass') {
    if (check.cause) lines.push(`${INDENT}${c.dim('cause:')} ${check.cause}`);
    for (const detail of check.details ?? []) lines.push(`${INDENT}${detail}`);
    if (check.fix) lines.push(...remedyLines(check.fix, INDENT, c));
  } else if (verbose) {
    for (const detail of check.details ?? []) lines.push(`${INDENT}${c.dim(detail)}`);
  }
  if (verbose) for (const line of evidenceLines(check.evidence)) lines.push(`${INDENT}${c.dim(line)}`);
  return lines;
}

function findingLines(finding: Finding, c: ChalkInstance): string[] {
  const lines = [`  ${finding.rank}. ${c.bold(finding.title)} ${c.dim(`(${finding.likelihood} likelihood, ${finding.cause})`)}`];
  for (const evidence of finding.evidence) lines.push(`${INDENT}· ${evidence}`);
  lines.push(...remedyLines(finding.fix, INDENT, c));
  return lines;
}

function remedyLines(fix: Remedy, indent: string, c: ChalkInstance): string[] {
  const lines = [`${indent}${c.cyan('fix:')} ${fix.text}`];
  for (const command of fix.commands ?? []) lines.push(`${indent}  ${c.cyan('$')} ${command}`);
  for (const link of fix.links ?? []) lines.push(`${indent}  ${c.cyan('→')} ${c.underline(link)}`);
  return lines;
}

function paint(c: ChalkInstance, status: CheckStatus, text: string): string {
  switch (status) {
    case 'pass':
      return c.green(text);
    case 'warn':
      return c.yellow(text);
    case 'skip':
      return c.dim(text);
    default:
      return c.red.bold(text);
  }
}

function colourSummary(line: string, report: Report, c: ChalkInstance): string {
  const { failed, errored, warned } = report.summary;
  if (failed + errored > 0) return c.red(line);
  if (warned > 0) return c.yellow(line);
  return c.green(line);
}
