import { createRequire } from 'node:module';
import { runDoctor } from '../../doctor.js';
import { trapInterrupts } from '../../core/interrupt.js';
import type { Report } from '../../core/model.js';
import { disposeMedia, startSpinner } from '../progress.js';
import type { GlobalOptions } from '../shared.js';
import type { CheckCommandOptions } from './options.js';
import { writeOutputs } from './outputs.js';
import { planCheck } from './validate.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** `livekit-doctor check`: flags → plan → runDoctor (once or --repeat) → outputs. */
export async function runCheckCommand(globals: GlobalOptions, opts: CheckCommandOptions): Promise<number> {
  if (opts.listChecks) {
    const { printCheckList } = await import('./list.js');
    return printCheckList(globals);
  }
  const { selection, options } = await planCheck(opts);
  if (opts.repeat !== undefined || opts.interval !== undefined) {
    const { parseRepeatPlan, runRepeatedCheck } = await import('./repeat.js');
    const plan = parseRepeatPlan(opts);
    if (plan) return runRepeatedCheck(globals, opts, plan, { globals, version, strict: opts.strict, selection, options });
  }

  const spinner = await startSpinner(globals);
  const interrupt = trapInterrupts((name) => spinner?.update(`${name}: stopping and cleaning up…`));
  let report: Report;
  try {
    const run = await runDoctor({
      globals,
      version,
      interrupt: interrupt.signal,
      strict: opts.strict,
      selection,
      options,
      hooks: { onStart: (c) => spinner?.update(c.title) },
      log: globals.verbose ? (l) => process.stderr.write(`${l}\n`) : undefined,
    });
    report = run.report;
  } finally {
    spinner?.stop();
    interrupt.dispose();
    await disposeMedia();
  }
  await writeOutputs({ runs: [report] }, globals, opts);
  return interrupt.exitCode() ?? report.exitCode;
}
