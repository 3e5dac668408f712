import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Report } from '../core/model.js';
import { BoundedValues, idLabel, MAX_CAUSES, RUN_RESULTS, runResult, type RunResult } from './labels.js';
import { PROBE_STAGES, stageLatenciesMs, STAGES, type Stage } from './stages.js';
import { checkStatusValue } from './status.js';

/**
 * Buckets (seconds) of the dispatch stages. livekit-server holds every job request for its ~200 ms worker-selection
 * window (measured 203 ms p50 on an idle server), so the buckets are dense around 0.2 s: 5 ms steps show whether a
 * server adds queueing on top of the window, the wide tail shows bursts and joins.
 */
export const STAGE_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.19, 0.2, 0.205, 0.21, 0.22, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 1.5, 2.5, 5, 10];
/** Buckets (seconds) of a whole run: a passing probe-only run takes about 0.5-1 s, with --agent a few seconds. */
export const RUN_BUCKETS_S = [0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30, 60, 120];

export const METRIC_PREFIX = 'livekit_doctor_';

/** The outcome of one run of one target, as the loop hands it over. */
export interface RunRecord {
  target: string;
  /** Absent when the run itself broke (it threw). */
  report?: Report;
  durationMs: number;
  /** Unix ms when the run ended. */
  endedAtMs: number;
}

interface TargetState {
  causes: BoundedValues;
  checkFailures: Map<string, number>;
  failedRuns: number;
}

/** The monitor's Prometheus registry: every series is labelled by target, and otherwise only by ids of closed sets. */
export class MonitorMetrics {
  readonly registry = new Registry();
  private readonly targets = new Map<string, TargetState>();
  private readonly checkStatus: Gauge<'target' | 'check'>;
  private readonly checkFailures: Gauge<'target' | 'check'>;
  private readonly stage: Histogram<'target' | 'stage'>;
  private readonly runDuration: Histogram<'target'>;
  private readonly runs: Counter<'target' | 'result'>;
  private readonly findings: Counter<'target' | 'cause'>;
  private readonly lastRun: Gauge<'target'>;
  private readonly lastSuccess: Gauge<'target'>;
  private readonly failedRuns: Gauge<'target'>;
  private readonly inProgress: Gauge<'target'>;
  private readonly overruns: Counter<'target'>;
  private readonly runProcessRss: Gauge;

  constructor(opts: { version: string; targets: { name: string; agent: boolean }[]; startedAtMs: number }) {
    const r = [this.registry];
    const name = (n: string) => `${METRIC_PREFIX}${n}`;
    new Gauge({ name: name('build_info'), help: 'The livekit-doctor version and Node.js version of this monitor (always 1).', labelNames: ['version', 'node'], registers: r }).set({ version: opts.version, node: process.version }, 1);
    const started = new Gauge({ name: name('monitor_start_time_seconds'), help: 'Unix time this monitor began watching the target.', labelNames: ['target'], registers: r });
    this.checkStatus = new Gauge({ name: name('check_status'), help: 'Last status of each check: 1 pass, 0.5 warn, 0 fail, error or skipped because a step it needs did not pass.', labelNames: ['target', 'check'], registers: r });
    this.checkFailures = new Gauge({ name: name('check_consecutive_failures'), help: 'Runs in a row in which the check did not pass or warn (0 after a passing run).', labelNames: ['target', 'check'], registers: r });
    this.stage = new Histogram({ name: name('stage_duration_seconds'), help: 'Dispatch path stages: dispatch_api (CreateDispatch answer), job_request (dispatch sent → job request), assignment (job request → assignment), joined (assignment → probe joined), agent_joined (dispatch sent → your agent joined).', labelNames: ['target', 'stage'], buckets: STAGE_BUCKETS_S, registers: r });
    this.runDuration = new Histogram({ name: name('run_duration_seconds'), help: 'Wall time of a whole checklist run, cleanup included.', labelNames: ['target'], buckets: RUN_BUCKETS_S, registers: r });
    this.runs = new Counter({ name: name('runs_total'), help: 'Checklist runs by result: pass (exit 0), fail (exit 1), config_error (unusable settings), error (the run broke), interrupted.', labelNames: ['target', 'result'], registers: r });
    this.findings = new Counter({ name: name('findings_total'), help: 'Findings of the runs, by cause id.', labelNames: ['target', 'cause'], registers: r });
    this.lastRun = new Gauge({ name: name('last_run_timestamp_seconds'), help: 'Unix time the last run ended.', labelNames: ['target'], registers: r });
    this.lastSuccess = new Gauge({ name: name('last_success_timestamp_seconds'), help: 'Unix time the last passing run (exit 0) ended; absent until one passed.', labelNames: ['target'], registers: r });
    this.failedRuns = new Gauge({ name: name('consecutive_failed_runs'), help: 'Runs in a row that did not pass (0 after a passing run).', labelNames: ['target'], registers: r });
    this.inProgress = new Gauge({ name: name('run_in_progress'), help: '1 while a run of the target is in progress.', labelNames: ['target'], registers: r });
    this.overruns = new Counter({ name: name('run_overruns_total'), help: 'Runs that started late because the previous run took longer than the interval.', labelNames: ['target'], registers: r });
    this.runProcessRss = new Gauge({ name: name('run_process_resident_memory_bytes'), help: 'Resident memory of the process that ran the last run (the runs live in a child process, replaced every --runs-per-process runs).', registers: r });
    registerProcessMetrics(this.registry);

    for (const t of opts.targets) {
      this.targets.set(t.name, { causes: new BoundedValues(MAX_CAUSES), checkFailures: new Map(), failedRuns: 0 });
      const target = t.name;
      started.set({ target }, opts.startedAtMs / 1000);
      // Present from the start, so that increase() and rate() see the first run, and the series count is flat.
      for (const result of RUN_RESULTS) this.runs.inc({ target, result }, 0);
      for (const stage of [...PROBE_STAGES, ...(t.agent ? (['agent_joined'] as Stage[]) : [])]) this.stage.zero({ target, stage });
      this.runDuration.zero({ target });
      this.failedRuns.set({ target }, 0);
      this.inProgress.set({ target }, 0);
      this.overruns.inc({ target }, 0);
    }
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }

  runProcessMemory(bytes: number): void {
    if (Number.isFinite(bytes) && bytes > 0) this.runProcessRss.set(bytes);
  }

  runStarted(target: string, late: boolean): void {
    this.inProgress.set({ target }, 1);
    if (late) this.overruns.inc({ target });
  }

  recordRun(run: RunRecord): RunResult {
    const state = this.targets.get(run.target);
    if (!state) throw new Error(`unknown target ${run.target}`);
    const target = run.target;
    const result = runResult(run.report?.exitCode);
    this.inProgress.set({ target }, 0);
    this.runs.inc({ target, result });
    this.runDuration.observe({ target }, Math.round(run.durationMs) / 1000);
    this.lastRun.set({ target }, run.endedAtMs / 1000);
    if (result === 'interrupted') return result;
    state.failedRuns = result === 'pass' ? 0 : state.failedRuns + 1;
    this.failedRuns.set({ target }, state.failedRuns);
    if (result === 'pass') this.lastSuccess.set({ target }, run.endedAtMs / 1000);
    const report = run.report;
    if (!report) {
      // The run broke before it produced results: every check it had counts as not working this time.
      for (const [check, n] of state.checkFailures) {
        state.checkFailures.set(check, n + 1);
        this.checkFailures.set({ target, check }, n + 1);
        this.checkStatus.set({ target, check }, 0);
      }
      return result;
    }
    for (const c of report.checks) {
      const check = idLabel(c.id);
      const value = checkStatusValue(c);
      if (value === undefined) {
        this.checkStatus.remove({ target, check });
        this.checkFailures.remove({ target, check });
        state.checkFailures.delete(check);
        continue;
      }
      const failures = value > 0 ? 0 : (state.checkFailures.get(check) ?? 0) + 1;
      state.checkFailures.set(check, failures);
      this.checkStatus.set({ target, check }, value);
      this.checkFailures.set({ target, check }, failures);
    }
    for (const f of report.findings) this.findings.inc({ target, cause: state.causes.admit(f.cause) });
    const stages = stageLatenciesMs(report);
    for (const stage of STAGES) {
      const ms = stages[stage];
      if (ms !== undefined) this.stage.observe({ target, stage }, Math.round(ms * 10) / 10_000);
    }
    return result;
  }
}

/** The few process metrics worth watching for the monitor's own overhead, under their usual names. */
function registerProcessMetrics(registry: Registry): void {
  const r = [registry];
  new Counter({
    name: 'process_cpu_seconds_total',
    help: 'User and system CPU time of this process, seconds.',
    registers: r,
    collect() {
      const u = process.cpuUsage();
      this.reset();
      this.inc((u.user + u.system) / 1e6);
    },
  });
  new Gauge({ name: 'process_resident_memory_bytes', help: 'Resident memory size, bytes.', registers: r, collect() { this.set(process.memoryUsage.rss()); } });
  new Gauge({ name: 'nodejs_heap_size_used_bytes', help: 'V8 heap in use, bytes.', registers: r, collect() { this.set(process.memoryUsage().heapUsed); } });
  new Gauge({ name: 'process_start_time_seconds', help: 'Unix time this process started.', registers: r }).set(Math.round(Date.now() / 1000 - process.uptime()));
}
