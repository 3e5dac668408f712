import { redact } from '../core/redact.js';
import type { Report } from '../core/model.js';
import { runResult, type RunResult } from './labels.js';
import { stageLatenciesMs, type Stage } from './stages.js';

export const MONITOR_RUN_SCHEMA = 'livekit-doctor/monitor-run@1';

/** One line of `monitor --json`: the summary of one run of one target, for log pipelines. */
export interface MonitorRunLine {
  schema: typeof MONITOR_RUN_SCHEMA;
  target: string;
  /** 1 for the first run of this target. */
  run: number;
  startedAt: string;
  durationMs: number;
  result: RunResult;
  exitCode: number | null;
  summary: Report['summary'] | null;
  /** Stage latencies of this run, ms (absent stages were not measured). */
  stagesMs: Partial<Record<Stage, number>>;
  checks: { id: string; status: string; durationMs: number; cause?: string }[];
  findings: { cause: string; likelihood: string; title: string }[];
  conclusion: string | null;
  /** Why the run broke, when it did (no report). */
  error?: string;
}

export function runLine(input: { target: string; run: number; startedAtMs: number; durationMs: number; report?: Report; error?: string }): MonitorRunLine {
  const r = input.report;
  const line: MonitorRunLine = {
    schema: MONITOR_RUN_SCHEMA,
    target: input.target,
    run: input.run,
    startedAt: new Date(input.startedAtMs).toISOString(),
    durationMs: Math.round(input.durationMs),
    result: runResult(r?.exitCode),
    exitCode: r?.exitCode ?? null,
    summary: r?.summary ?? null,
    stagesMs: r ? Object.fromEntries(Object.entries(stageLatenciesMs(r)).map(([k, v]) => [k, Math.round(v * 10) / 10])) : {},
    checks: (r?.checks ?? []).map((c) => ({ id: c.id, status: c.status, durationMs: Math.round(c.durationMs), ...(c.cause ? { cause: c.cause } : {}) })),
    findings: (r?.findings ?? []).map((f) => ({ cause: f.cause, likelihood: f.likelihood, title: f.title })),
    conclusion: r?.conclusion ?? null,
    ...(input.error !== undefined ? { error: input.error } : {}),
  };
  return line;
}

/** The line as printed: one JSON document, redacted once more (an error text may quote a server answer). */
export function formatRunLine(line: MonitorRunLine): string {
  return redact(JSON.stringify(line));
}
