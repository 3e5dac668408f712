import { UsageError } from '../../core/errors.js';
import { runDoctor, type DoctorInput } from '../../doctor.js';
import { trapInterrupts } from '../../core/interrupt.js';
import { pause } from '../../core/cleanup.js';
import type { Report } from '../../core/model.js';
import { formatMs, summaryLine } from '../../report/render-common.js';
import { summarizeRuns } from '../../report/repeat.js';
import { disposeMedia, startSpinner, type Spinner } from '../progress.js';
import type { CheckCommandOptions } from './options.js';
import { writeOutputs } from './outputs.js';
import type { GlobalOptions } from '../shared.js';

export const MAX_REPEAT = 1000;
const MAX_INTERVAL_S = 3600;

export interface RepeatPlan {
  count: number;
  intervalMs: number;
}

/** `--repeat N --interval S` → a plan, or undefined without --repeat; bad values are usage errors (exit 2). */
export function parseRepeatPlan(opts: Pick<CheckCommandOptions, 'repeat' | 'interval'>): RepeatPlan | undefined {
  if (opts.repeat === undefined) {
    if (opts.interval !== undefined) throw new UsageError('--interval needs --repeat <N>');
    return undefined;
  }
  const count = Number(opts.repeat);
  if (!/^\s*\d+\s*$/.test(opts.repeat) || count < 1 || count > MAX_REPEAT) throw new UsageError(`--repeat "${opts.repeat}" is not a whole number from 1 to ${MAX_REPEAT}`);
  const seconds = opts.interval === undefined ? 0 : Number(opts.interval);
  if (opts.interval !== undefined && (!opts.interval.trim() || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_INTERVAL_S)) {
    throw new UsageError(`--interval "${opts.interval}" is not a number of seconds from 0 to ${MAX_INTERVAL_S}`);
  }
  return { count, intervalMs: Math.round(seconds * 1000) };
}

/**
 * Runs the whole checklist `plan.count` times. Each runDoctor cleans up after itself; Ctrl-C aborts
 * the current run (which still cleans up) and no further run starts. The summary is printed even then.
 */
export async function runRepeatedCheck(
  globals: GlobalOptions,
  opts: CheckCommandOptions,
  plan: RepeatPlan,
  input: Omit<DoctorInput, 'interrupt' | 'hooks' | 'log'>,
): Promise<number> {
  const reports: Report[] = [];
  let spinner: Spinner | undefined;
  const interrupt = trapInterrupts((name) => spinner?.update(`${name}: stopping and cleaning up…`));
  try {
    for (let run = 1; run <= plan.count && !interrupt.signal.aborted; run++) {
      if (run > 1 && plan.intervalMs > 0) await pause(plan.intervalMs, interrupt.signal);
      if (interrupt.signal.aborted) break;
      spinner = await startSpinner(globals);
      const { report } = await runDoctor({
        ...input,
        interrupt: interrupt.signal,
        hooks: { onStart: (c) => spinner?.update(`run ${run}/${plan.count}: ${c.title}`) },
        log: globals.verbose ? (l) => process.stderr.write(`[run ${run}] ${l}\n`) : undefined,
      });
      reports.push(report);
      spinner?.stop();
      process.stderr.write(`run ${run}/${plan.count}: exit ${report.exitCode} · ${summaryLine(report)} · ${formatMs(report.durationMs)}\n`);
      // Unusable settings (2) stay unusable: repeating would measure nothing new.
      if (report.exitCode === 2) break;
    }
  } finally {
    spinner?.stop();
    interrupt.dispose();
    await disposeMedia();
  }
  const summary = summarizeRuns(reports, { requestedRuns: plan.count, intervalMs: plan.intervalMs, interruptedWith: interrupt.exitCode() });
  await writeOutputs({ runs: reports, summary }, globals, opts);
  return interrupt.exitCode() ?? summary.exitCode;
}
