import type { CheckOptions, Selection } from '../doctor.js';
import { resolveSettings } from '../config/index.js';
import type { GlobalOptions } from '../config/types.js';
import { UsageError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { formatMs, summaryLine } from '../report/render-common.js';
import type { ListenAddress } from './duration.js';
import { startMonitorServer } from './http.js';
import { MonitorLoop, type RunOutcome } from './loop.js';
import { MonitorMetrics } from './metrics.js';
import { RunProcessPool } from './pool.js';
import { formatRunLine, runLine } from './run-line.js';

/** One target as the loop runs it: its connection (as global options) and its checklist options. */
export interface MonitorTarget {
  name: string;
  intervalMs: number;
  globals: GlobalOptions;
  options: CheckOptions;
}

export interface MonitorPlan {
  targets: MonitorTarget[];
  listen: ListenAddress;
  selection: Selection;
  strict?: boolean;
  /** One JSON line per run on stdout. */
  json: boolean;
  verbose?: boolean;
  version: string;
  /** Stop each target after this many runs (default: until SIGINT/SIGTERM). */
  maxRuns?: number;
  /** Runs one run process serves before a fresh one takes over (pool.ts). */
  runsPerProcess: number;
}

export interface MonitorIo {
  /** A status line (stderr). */
  status(line: string): void;
  /** A JSON line (stdout). */
  out(line: string): void;
}

/** A run longer than this is stuck: /healthz answers 503. Every check has its own deadline, so this is a bug or a hang. */
export function stallAfterMs(intervalMs: number): number {
  return Math.max(3 * intervalMs, 5 * 60_000);
}

/**
 * Every target's settings are resolved and validated before anything runs or listens: an unusable one is a
 * usage error (exit 2) naming the target; warnings are printed once.
 */
export async function validateTargets(targets: MonitorTarget[], io: MonitorIo, named: boolean): Promise<void> {
  for (const t of targets) {
    const { settings, connection } = await resolveSettings(t.globals);
    // A target's values reach the settings as flags: say where they really came from.
    const say = (message: string) => (named ? `target "${t.name}": ${message.replace(/\bflag --(url|api-key|api-secret)\b/g, (_m, f: string) => `${f.replace('-', '_')} in the targets file`)}` : message);
    if (!connection) {
      throw new UsageError(settings.problems.filter((p) => p.severity === 'error').map((p) => say(p.message)).join('\nlivekit-doctor: '));
    }
    for (const p of settings.problems) if (p.severity === 'warning') io.status(`livekit-doctor: warning: ${say(p.message)}`);
  }
}

/**
 * `monitor`: serves /metrics, /healthz and /readyz, and runs the checklist per target every interval until the
 * signal aborts (or maxRuns). Resolves after the last run's cleanup and the server's close.
 */
export async function runMonitor(plan: MonitorPlan, signal: AbortSignal, io: MonitorIo): Promise<void> {
  const startedAtMs = Date.now();
  const metrics = new MonitorMetrics({ version: plan.version, targets: plan.targets.map((t) => ({ name: t.name, agent: t.options.agentName !== undefined })), startedAtMs });
  const byName = new Map(plan.targets.map((t) => [t.name, t]));
  let stopping = false;
  const pool = new RunProcessPool(plan.runsPerProcess);
  const loop = new MonitorLoop({
    targets: plan.targets,
    signal,
    maxRuns: plan.maxRuns,
    runOnce: async (name, runSignal) => {
      const t = byName.get(name)!;
      const input = { target: name, globals: t.globals, options: t.options, selection: plan.selection, strict: plan.strict, version: plan.version, verbose: plan.verbose };
      const { report, rssBytes } = await pool.run(input, runSignal, stallAfterMs(t.intervalMs));
      metrics.runProcessMemory(rssBytes);
      return report;
    },
    onRunStart: (name, _run, late) => metrics.runStarted(name, late),
    onRunEnd: (o) => record(o),
  });
  const record = (o: RunOutcome) => {
    const error = o.error !== undefined ? redact(o.error instanceof Error ? o.error.message : String(o.error)) : undefined;
    const result = metrics.recordRun({ target: o.target, report: o.report, durationMs: o.durationMs, endedAtMs: o.startedAtMs + o.durationMs });
    const what = o.report ? `exit ${o.report.exitCode} · ${summaryLine(o.report)}` : `the run broke: ${error}`;
    const causes = o.report?.findings.length ? ` · ${o.report.findings.map((f) => f.cause).join(', ')}` : '';
    io.status(redact(`monitor [${o.target}] run ${o.run}: ${result} · ${what}${causes} · ${formatMs(o.durationMs)}`));
    if (plan.json) io.out(formatRunLine(runLine({ target: o.target, run: o.run, startedAtMs: o.startedAtMs, durationMs: o.durationMs, report: o.report, error })));
  };

  const http = await startMonitorServer(plan.listen, metrics, {
    progress: loop.progress,
    stopping: () => stopping || signal.aborted,
    stallAfterMs: (name) => stallAfterMs(byName.get(name)?.intervalMs ?? 60_000),
  });
  pool.warm();
  const every = plan.targets.map((t) => `${t.name} every ${formatMs(t.intervalMs)}${t.options.agentName ? ` with agent "${t.options.agentName}"` : ''}`).join(', ');
  io.status(`livekit-doctor ${plan.version} monitor: ${plan.targets.length} target${plan.targets.length === 1 ? '' : 's'} (${every}); metrics on ${http.url}/metrics`);
  const onAbort = () => {
    stopping = true;
  };
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await loop.run();
  } finally {
    stopping = true;
    signal.removeEventListener('abort', onAbort);
    await pool.close();
    await http.close();
  }
}
