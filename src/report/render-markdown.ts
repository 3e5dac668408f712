import type { CheckStatus, Report } from '../core/model.js';
import { detailText, formatMs, isoAt, summaryLine } from './render-common.js';

export const STATUS_EMOJI: Record<CheckStatus, string> = {
  pass: '✅',
  fail: '❌',
  warn: '⚠️',
  skip: '⏭️',
  error: '💥',
};

/** The report as Markdown: facts, checklist table, findings, timeline table. */
export function renderMarkdown(report: Report): string {
  const parts = [
    `# livekit-doctor report`,
    '',
    `**${mdInline(summaryLine(report))}**${report.conclusion ? ` — ${mdInline(report.conclusion)}` : ''}`,
    '',
    '## Facts',
    '',
    ...facts(report).map(([name, value]) => `- **${name}:** ${mdInline(value)}`),
    '',
    '## Checks',
    '',
    ...markdownChecklist(report),
  ];
  if (report.findings.length > 0) parts.push('', '## Findings', '', ...markdownFindings(report));
  parts.push('', '## Timeline', '', ...timelineTable(report));
  return `${parts.join('\n')}\n`;
}

function facts(report: Report): [string, string][] {
  const s = report.server;
  const rows: [string, string | undefined][] = [
    ['Command', `livekit-doctor ${report.command}`],
    ['Tool version', report.tool.version],
    ['Started', report.startedAt],
    ['Duration', formatMs(report.durationMs)],
    ['Server URL', report.target.url],
    ['API key', report.target.apiKey],
    ['Agent name', report.target.agentName],
    ['Server version', s.version],
    ['Edition', s.edition],
    ['Region', s.region],
    ['Node', s.nodeId],
    ['Protocol', s.protocol === undefined ? undefined : `${s.protocol}${s.agentProtocol === undefined ? '' : ` (agent protocol ${s.agentProtocol})`}`],
    ['Clock offset', s.clockOffsetMs === undefined ? undefined : `${s.clockOffsetMs} ms (local minus server)`],
    ['Round trip', s.roundTripMs === undefined ? undefined : formatMs(s.roundTripMs)],
    ['Exit code', String(report.exitCode)],
  ];
  for (const [name, setting] of Object.entries(report.target.settings)) rows.push([`Setting ${name}`, `${setting.shown} (from ${setting.from})`]);
  return rows.filter((r): r is [string, string] => r[1] !== undefined && r[1] !== '');
}

/** The checklist as a Markdown table; causes and fixes of non-pass checks in the last column. */
export function markdownChecklist(report: Report): string[] {
  const rows = ['| | Check | Result | Took | Cause and fix |', '|---|---|---|---:|---|'];
  for (const check of report.checks) {
    const notes: string[] = [];
    if (check.skippedBecause) notes.push(`needs ${mdCode(check.skippedBecause)}`);
    if (check.status !== 'pass') {
      if (check.cause) notes.push(`cause ${mdCode(check.cause)}`);
      if (check.fix) {
        notes.push(mdCell(check.fix.text));
        for (const command of check.fix.commands ?? []) notes.push(mdCode(command));
        for (const link of check.fix.links ?? []) notes.push(mdLink(link));
      }
    }
    const took = check.status === 'skip' ? '' : formatMs(check.durationMs);
    rows.push(`| ${STATUS_EMOJI[check.status]} | ${mdCell(check.title)} <br><sub>${mdCode(check.id)}</sub> | ${mdCell(check.summary)} | ${took} | ${notes.join('<br>')} |`);
  }
  return rows;
}

export function markdownFindings(report: Report): string[] {
  const lines: string[] = [];
  for (const f of [...report.findings].sort((a, b) => a.rank - b.rank)) {
    lines.push(`${f.rank}. **${mdInline(f.title)}** (${f.likelihood} likelihood, ${mdCode(f.cause)})`);
    for (const evidence of f.evidence) lines.push(`   - ${mdInline(evidence)}`);
    lines.push(`   - **Fix:** ${mdInline(f.fix.text)}`);
    for (const command of f.fix.commands ?? []) lines.push(`     ${mdCode(command)}`);
    for (const link of f.fix.links ?? []) lines.push(`     ${mdLink(link)}`);
  }
  return lines;
}

function timelineTable(report: Report): string[] {
  if (report.timeline.length === 0) return ['(no timed events recorded)'];
  const rows = ['| At | UTC | Source | Event | Detail |', '|---:|---|---|---|---|'];
  for (const e of report.timeline) {
    rows.push(`| +${formatMs(e.atMs)} | ${isoAt(report, e.atMs).slice(11)} | ${mdCell(e.source)} | ${mdCell(e.type)} | ${mdCell(detailText(e.detail))} |`);
  }
  return rows;
}

/** Text inside a table cell: pipes escaped, newlines as <br>, HTML-ish characters neutralised. */
export function mdCell(value: string): string {
  return mdInline(value).replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** Inline text: `<` and `>` escaped so that report text cannot inject HTML into rendered Markdown. */
export function mdInline(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A code span safe inside a table: fenced with more backticks than it contains, pipes escaped. */
export function mdCode(value: string): string {
  const longestRun = Math.max(0, ...(value.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const body = value.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const pad = body.startsWith('`') || body.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${body}${pad}${fence}`;
}

/** An autolink for http(s) URLs; anything else is shown as plain escaped text. */
export function mdLink(value: string): string {
  return /^https?:\/\/[^\s<>|]+$/.test(value) ? `<${value}>` : mdCell(value);
}
