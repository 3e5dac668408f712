import type { CheckResult, Report } from '../core/model.js';
import { checkGroup, evidenceLines, summaryLine } from './render-common.js';

export interface JunitOptions {
  /** Warnings count as failures (as with `--strict`). */
  strict?: boolean;
}

/**
 * JUnit XML in the common Jenkins/GitLab/Surefire shape: one testsuite, one testcase per check.
 * fail and error become <failure> (GitLab and GitHub reporters show it either way), skip becomes
 * <skipped>, warn passes with its text in <system-out> unless strict.
 */
export function renderJunit(report: Report, options: JunitOptions = {}): string {
  const strict = options.strict ?? false;
  const failing = report.checks.filter((c) => c.status === 'fail' || c.status === 'error' || (strict && c.status === 'warn'));
  const skipped = report.checks.filter((c) => c.status === 'skip');
  const suiteAttrs = attrs({
    name: 'livekit-doctor',
    tests: report.checks.length,
    failures: failing.length,
    errors: 0,
    skipped: skipped.length,
    time: seconds(report.durationMs),
    timestamp: report.startedAt.replace(/Z$/, ''),
  });
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attrs({ name: 'livekit-doctor', tests: report.checks.length, failures: failing.length, errors: 0, skipped: skipped.length, time: seconds(report.durationMs) })}>`,
    `  <testsuite ${suiteAttrs}>`,
    '    <properties>',
    ...properties(report).map(([name, value]) => `      <property ${attrs({ name, value })}/>`),
    '    </properties>',
    ...report.checks.map((check) => testcase(check, strict)),
    `    <system-out>${text([report.conclusion, summaryLine(report)].filter(Boolean).join('\n'))}</system-out>`,
    '  </testsuite>',
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}

function properties(report: Report): [string, string][] {
  const props: [string, string | number | undefined][] = [
    ['server.url', report.target.url],
    ['server.version', report.server.version],
    ['server.region', report.server.region],
    ['server.node', report.server.nodeId],
    ['agent.name', report.target.agentName],
    ['tool.name', report.tool.name],
    ['tool.version', report.tool.version],
    ['command', report.command],
    ['started.at', report.startedAt],
  ];
  return props.filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== '').map(([k, v]) => [k, String(v)]);
}

function testcase(check: CheckResult, strict: boolean): string {
  const open = `    <testcase ${attrs({ name: check.title, classname: `livekit-doctor.${checkGroup(check)}`, time: seconds(check.durationMs), id: check.id })}`;
  const body = problemBody(check);
  if (check.status === 'fail' || check.status === 'error' || (strict && check.status === 'warn')) {
    const type = check.status === 'error' ? 'error' : check.cause ?? check.status;
    return `${open}>\n      <failure ${attrs({ message: `${check.status}: ${check.summary}`, type })}>${text(body)}</failure>\n    </testcase>`;
  }
  if (check.status === 'skip') {
    const message = check.skippedBecause ? `needs ${check.skippedBecause}: ${check.summary}` : check.summary;
    return `${open}>\n      <skipped ${attrs({ message })}/>\n    </testcase>`;
  }
  if (check.status === 'warn') return `${open}>\n      <system-out>${text(`warning: ${check.summary}\n${body}`)}</system-out>\n    </testcase>`;
  return `${open}/>`;
}

function problemBody(check: CheckResult): string {
  const lines = [check.summary];
  if (check.cause) lines.push(`cause: ${check.cause}`);
  lines.push(...(check.details ?? []));
  if (check.fix) {
    lines.push(`fix: ${check.fix.text}`);
    for (const command of check.fix.commands ?? []) lines.push(`  $ ${command}`);
    for (const link of check.fix.links ?? []) lines.push(`  ${link}`);
  }
  lines.push(...evidenceLines(check.evidence));
  return lines.join('\n');
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}="${escapeXml(String(v))}"`)
    .join(' ');
}

function text(value: string): string {
  return escapeXml(value, false);
}

// Characters XML 1.0 forbids outright (most C0 controls, lone surrogates, U+FFFE/F) are dropped.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text for XML; in attributes also newlines and tabs, which parsers would normalise away. */
export function escapeXml(value: string, attribute = true): string {
  let out = value
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
  if (attribute) out = out.replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
  return out;
}
