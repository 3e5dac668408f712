import type { Report } from '../core/model.js';
import { pause } from '../core/cleanup.js';

export interface LoopTarget {
  name: string;
  intervalMs: number;
}

export interface RunOutcome {
  target: string;
  /** 1 for the target's first run. */
  run: number;
  /** Unix ms. */
  startedAtMs: number;
  durationMs: number;
  report?: Report;
  /** The run threw instead of returning a report (an internal error); the loop goes on. */
  error?: unknown;
}

/** What /healthz and /readyz read: where each target's loop is. */
export interface TargetProgress {
  runs: number;
  completed: number;
  /** performance.now() when the current run started, while one runs. */
  runningSince?: number;
  /** The loop of this target has ended (--runs reached, or the monitor stops). */
  done: boolean;
}

export interface LoopOptions {
  targets: LoopTarget[];
  /** One whole checklist run, cleanup included. It must honour the signal (finish cleanup, then return). */
  runOnce(target: string, signal: AbortSignal): Promise<Report>;
  /** Aborted on SIGINT/SIGTERM: no further run starts, the current ones finish their cleanup. */
  signal: AbortSignal;
  /** Stop each target after this many runs (tests, benchmarks); default: until the signal. */
  maxRuns?: number;
  onRunStart?(target: string, run: number, late: boolean): void;
  onRunEnd?(outcome: RunOutcome): void;
}

/**
 * One loop per target, all concurrent: a target's runs never overlap (the next starts when the previous ended,
 * at the earliest one interval after the previous start), and a slow or broken target never delays another's.
 * A run that fails or throws is recorded and the loop goes on.
 */
export class MonitorLoop {
  readonly progress = new Map<string, TargetProgress>();

  constructor(private readonly opts: LoopOptions) {
    for (const t of opts.targets) this.progress.set(t.name, { runs: 0, completed: 0, done: false });
  }

  run(): Promise<void> {
    return Promise.all(this.opts.targets.map((t) => this.runTarget(t))).then(() => undefined);
  }

  private async runTarget(target: LoopTarget): Promise<void> {
    const p = this.progress.get(target.name)!;
    const { signal, maxRuns } = this.opts;
    let nextAt = performance.now();
    try {
      for (let run = 1; !signal.aborted && (maxRuns === undefined || run <= maxRuns); run++) {
        const wait = nextAt - performance.now();
        if (wait > 0) await pause(wait, signal);
        if (signal.aborted) break;
        const late = run > 1 && wait < -1;
        const started = performance.now();
        nextAt = started + target.intervalMs;
        p.runs = run;
        p.runningSince = started;
        this.opts.onRunStart?.(target.name, run, late);
        const startedAtMs = Date.now();
        let report: Report | undefined;
        let error: unknown;
        try {
          report = await this.opts.runOnce(target.name, signal);
        } catch (err) {
          error = err;
        }
        p.runningSince = undefined;
        p.completed = run;
        const outcome: RunOutcome = { target: target.name, run, startedAtMs, durationMs: performance.now() - started, ...(report ? { report } : { error }) };
        try {
          this.opts.onRunEnd?.(outcome);
        } catch {
          // recording a run must not end the loop
        }
      }
    } finally {
      p.done = true;
    }
  }
}
