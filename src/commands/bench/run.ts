import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { loadConnection, maskKey } from '../../config/index.js';
import { redact } from '../../core/redact.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { trapInterrupts } from '../../core/interrupt.js';
import type { GlobalOptions } from '../shared.js';
import { disposeMedia } from '../progress.js';
import { confirm, isLoopback } from '../interaction.js';
import type { BenchCommandOptions } from './options.js';
import type { StepPlan } from '../../bench/types.js';
import type { SloTerm } from '../../bench/slo.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };
/** Dispatches × concurrency above which a run against a remote server asks first. */
const LARGE_LOAD = 100;

interface Plan {
  steps: StepPlan[];
  loop: 'closed' | 'open';
  dispatches: number;
  workers: number;
  timeoutMs: number;
  probeAnswerDelayMs?: number;
  slo?: { expression: string; terms: SloTerm[] };
}

/** `livekit-doctor bench`: options → runBench → renderers; returns the exit code. */
export async function runBenchCommand(globals: GlobalOptions, opts: BenchCommandOptions): Promise<number> {
  const plan = await parsePlan(globals, opts);
  const { connection } = await loadConnection(globals);
  const loopback = isLoopback(connection.httpUrl);
  const load = plan.dispatches * Math.max(...plan.steps.map((s) => s.concurrency ?? Math.ceil(s.ratePerS ?? 1)));
  if (opts.agent) {
    status(`warning: each dispatch starts a real session of your agent "${opts.agent}" in room livekit-doctor-bench-<id> (it may cost money); the doctor deletes the rooms afterwards.`);
  }
  if (!loopback && load > LARGE_LOAD && !opts.yes) await confirm(`${plan.steps.length} step(s) of ${plan.dispatches} dispatches (load ${load}) against ${connection.url}, which is not on this machine`, 'bench');

  const [{ runBench }, { buildBenchReport }, { ServerApi }] = await Promise.all([import('../../bench/run.js'), import('../../bench/report.js'), import('../../livekit/server-api.js')]);
  const interrupt = trapInterrupts((name) => status(`${name}: stopping; partial results follow, then cleanup…`));
  const startedAt = new Date();
  const api = new ServerApi(connection);
  try {
    let run;
    try {
      run = await runBench({
        connection, api, target: opts.agent ? 'agent' : 'probe', agentName: opts.agent, workers: plan.workers, steps: plan.steps,
        timeoutMs: plan.timeoutMs, probeAnswerDelayMs: plan.probeAnswerDelayMs, signal: interrupt.signal, progress: status,
      });
    } catch (err) {
      if (interrupt.signal.aborted) return interrupt.exitCode() ?? ExitCode.interrupted;
      throw err;
    }
    const input = {
      version, startedAt, url: connection.url, maskedKey: maskKey(connection.apiKey), loopback, target: run.target, agentName: run.agentName,
      workers: opts.agent ? 0 : plan.workers, workerIds: run.workerIds, loop: plan.loop, dispatchesPerStep: plan.dispatches, timeoutMs: plan.timeoutMs,
      probeAnswerDelayMs: plan.probeAnswerDelayMs, steps: run.steps, slo: plan.slo, interrupted: run.interrupted || interrupt.signal.aborted,
    };
    // Results first (on Ctrl-C too), then cleanup; JSON waits for the cleanup so that it can include it.
    if (!globals.json) process.stdout.write(`${await renderTerminal(buildBenchReport(input), globals)}\n`);
    status(`deleting ${run.steps.reduce((n, s) => n + s.offered, 0)} bench room(s)…`);
    const cleanup = await run.cleanup();
    const report = buildBenchReport({ ...input, cleanup, interrupted: input.interrupted || interrupt.signal.aborted });
    if (globals.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else {
      const { deleted, failed } = cleanup;
      process.stdout.write(`Cleanup: ${deleted} room(s) deleted with their dispatches${failed.length ? `; ${failed.length} failed: ${redact(failed.map((f) => `${f.room} (${f.error})`).join('; '))}` : ''}.\n`);
    }
    if (opts.html) {
      const { renderBenchHtml } = await import('../../bench/render-html.js');
      writeFileSync(opts.html, renderBenchHtml(report));
      status(`HTML written to ${opts.html}`);
    }
    return report.interrupted ? (interrupt.exitCode() ?? ExitCode.interrupted) : report.exitCode;
  } finally {
    interrupt.dispose();
    await disposeMedia();
  }
}

async function renderTerminal(report: import('../../bench/report.js').BenchReport, globals: GlobalOptions): Promise<string> {
  const [{ renderBenchTerminal }, { makeChalk }] = await Promise.all([import('../../bench/render-terminal.js'), import('../../report/style.js')]);
  // The cleanup line is printed after it ran; the verdict shown here is about the measurements.
  return renderBenchTerminal(report, makeChalk(globals));
}

async function parsePlan(globals: GlobalOptions, opts: BenchCommandOptions): Promise<Plan> {
  const dispatches = wholeNumber(opts.dispatches, '--dispatches', 1, 10_000);
  if (opts.agent !== undefined && !opts.agent.trim()) throw new UsageError('--agent is empty: give the exact agent name your worker registers with');
  if (opts.agent && opts.workers !== undefined) throw new UsageError('--workers sets how many probe workers run; it does not apply with --agent');
  if (opts.rate !== undefined && opts.concurrency !== undefined) throw new UsageError('give --concurrency (closed loop) or --rate (open loop), not both');
  const workers = opts.workers === undefined ? 1 : wholeNumber(opts.workers, '--workers', 1, 50);
  const timeoutS = Number(globals.timeout ?? '10');
  if (!(timeoutS > 0 && timeoutS <= 600)) throw new UsageError(`--timeout "${globals.timeout}" is not a number of seconds between 0 and 600`);
  let steps: StepPlan[];
  if (opts.rate !== undefined) {
    steps = list(opts.rate, '--rate').map((r) => ({ ratePerS: positive(r.replace(/\/s$/, ''), '--rate', 0.01, 1000), dispatches }));
  } else {
    steps = list(opts.concurrency ?? '5', '--concurrency').map((c) => ({ concurrency: wholeNumber(c, '--concurrency', 1, 1000), dispatches }));
  }
  let probeAnswerDelayMs: number | undefined;
  if (opts.probeAnswerDelay !== undefined) {
    if (opts.agent) throw new UsageError('--probe-answer-delay applies to the probe, not to --agent');
    probeAnswerDelayMs = positive(opts.probeAnswerDelay, '--probe-answer-delay', 0, 60_000);
  }
  let slo: Plan['slo'];
  if (opts.slo !== undefined) {
    const { parseSlo, SloSyntaxError } = await import('../../bench/slo.js');
    try {
      slo = { expression: opts.slo, terms: parseSlo(opts.slo) };
    } catch (err) {
      if (err instanceof SloSyntaxError) throw new UsageError(`--slo: ${err.message}`);
      throw err;
    }
  }
  return { steps, loop: opts.rate !== undefined ? 'open' : 'closed', dispatches, workers, timeoutMs: Math.round(timeoutS * 1000), probeAnswerDelayMs, slo };
}

function list(value: string, flag: string): string[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === '')) throw new UsageError(`${flag} "${value}" has an empty item; write e.g. 1,10,20`);
  if (items.length > 20) throw new UsageError(`${flag} has ${items.length} steps; at most 20`);
  return items;
}

function wholeNumber(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} "${value}" must be a whole number from ${min} to ${max}`);
  return n;
}

function positive(value: string, flag: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max || (min === 0 ? n < 0 : n <= 0)) throw new UsageError(`${flag} "${value}" must be a number from ${min} to ${max}`);
  return n;
}

function status(line: string): void {
  process.stderr.write(`${redact(line)}\n`);
}
