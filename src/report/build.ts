import { redactDeep } from '../core/redact.js';
import { REPORT_SCHEMA, type CheckResult, type Finding, type Report, type ServerFacts, type SettingSource } from '../core/model.js';
import type { Timeline } from '../core/timeline.js';

export interface ReportInput {
  version: string;
  command: string;
  timeline: Timeline;
  checks: CheckResult[];
  findings: Finding[];
  conclusion: string;
  server: ServerFacts;
  target: { url?: string; apiKey?: string; agentName?: string; settings: Record<string, SettingSource> };
  exitCode: number;
}

/** Assembles the one Report; redacted here once, so every renderer starts from clean data. */
export function buildReport(input: ReportInput): Report {
  const count = (s: CheckResult['status']) => input.checks.filter((c) => c.status === s).length;
  const report: Report = {
    schema: REPORT_SCHEMA,
    tool: { name: 'livekit-doctor', version: input.version },
    startedAt: input.timeline.clock.startedAt.toISOString(),
    durationMs: Math.round(input.timeline.clock.now()),
    command: input.command,
    target: input.target,
    server: input.server,
    checks: input.checks,
    findings: input.findings,
    timeline: input.timeline.events,
    summary: { passed: count('pass'), warned: count('warn'), failed: count('fail'), skipped: count('skip'), errored: count('error') },
    conclusion: input.conclusion,
    exitCode: input.exitCode,
  };
  return redactDeep(report);
}

/** 0 when every required check passed; 1 when one failed (or warned, with --strict). */
export function exitCodeFor(checks: CheckResult[], strict: boolean): number {
  const failing = checks.some((c) => c.required && (c.status === 'fail' || c.status === 'error' || (strict && c.status === 'warn')));
  return failing ? 1 : 0;
}
