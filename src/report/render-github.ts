import type { CheckResult, Report } from '../core/model.js';
import { formatMs, summaryLine } from './render-common.js';
import { STATUS_EMOJI, markdownChecklist, markdownFindings, mdInline } from './render-markdown.js';

export interface GithubOptions {
  /** Warnings become errors (as with `--strict`). */
  strict?: boolean;
}

/**
 * Workflow commands for GitHub Actions: one `::error`/`::warning` line per failing or warning check
 * (passes and skips stay quiet), so the run page shows them as annotations.
 */
export function renderGithubAnnotations(report: Report, options: GithubOptions = {}): string {
  const lines: string[] = [];
  for (const check of report.checks) {
    const level = annotationLevel(check, options.strict ?? false);
    if (!level) continue;
    const title = `livekit-doctor: ${check.title}`;
    lines.push(`::${level} title=${escapeProperty(title)}::${escapeData(annotationMessage(check))}`);
  }
  const top = [...report.findings].sort((a, b) => a.rank - b.rank)[0];
  if (top) {
    const message = [top.title, ...top.evidence.map((e) => `- ${e}`), `fix: ${top.fix.text}`].join('\n');
    lines.push(`::notice title=${escapeProperty('livekit-doctor: most likely cause')}::${escapeData(message)}`);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function annotationLevel(check: CheckResult, strict: boolean): 'error' | 'warning' | undefined {
  if (check.status === 'fail' || check.status === 'error') return check.required || strict ? 'error' : 'warning';
  if (check.status === 'warn') return strict ? 'error' : 'warning';
  return undefined;
}

function annotationMessage(check: CheckResult): string {
  const lines = [check.status === 'error' ? `check broke: ${check.summary}` : check.summary];
  if (check.cause) lines.push(`cause: ${check.cause}`);
  if (check.fix) {
    lines.push(`fix: ${check.fix.text}`);
    for (const command of check.fix.commands ?? []) lines.push(`$ ${command}`);
    for (const link of check.fix.links ?? []) lines.push(link);
  }
  return lines.join('\n');
}

/** Message text of a workflow command: `%`, CR and LF are percent-encoded (the runner's own rule). */
export function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values (title=…) additionally encode `:` and `,`, which separate properties. */
export function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** Markdown for `$GITHUB_STEP_SUMMARY`: headline, checklist, findings, conclusion. */
export function renderGithubSummary(report: Report): string {
  const ok = report.summary.failed + report.summary.errored === 0;
  const headline = `${ok ? STATUS_EMOJI.pass : STATUS_EMOJI.fail} livekit-doctor: ${summaryLine(report)}`;
  const parts = [
    `### ${mdInline(headline)}`,
    '',
    `\`${mdInline(report.command)}\` against ${report.target.url ? `\`${mdInline(report.target.url)}\`` : '(no URL)'}` +
      `${report.server.version ? `, server ${mdInline(report.server.version)}` : ''}, ${formatMs(report.durationMs)}`,
    '',
    ...markdownChecklist(report),
  ];
  if (report.findings.length > 0) parts.push('', '#### Findings', '', ...markdownFindings(report));
  if (report.conclusion) parts.push('', `**${mdInline(report.conclusion)}**`);
  return `${parts.join('\n')}\n`;
}
