import { createRequire } from 'node:module';
import { accessSync, constants, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { runDoctor } from '../../doctor.js';
import { CHECKS } from '../../checks/registry.js';
import { unknownSelectors } from '../../checks/runner.js';
import { trapInterrupts } from '../../core/interrupt.js';
import type { Report } from '../../core/model.js';
import type { CheckOptions } from '../../checks/check.js';
import type { GlobalOptions } from '../shared.js';
import type { CheckCommandOptions } from './index.js';
import { appCheckOptions } from './app-flags.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };

/** `livekit-doctor check`: options → runDoctor → renderers. */
export async function runCheckCommand(globals: GlobalOptions, opts: CheckCommandOptions): Promise<number> {
  if (opts.listChecks) return listChecks(globals);
  const selection = { only: opts.only, skip: opts.skip };
  const unknown = unknownSelectors(CHECKS, selection);
  if (unknown.length) throw new UsageError(`unknown check id${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} in --only/--skip; see \`livekit-doctor check --list-checks\``);
  const waitMs = Number(opts.wait) * 1000;
  if (!Number.isFinite(waitMs) || waitMs <= 0 || waitMs > 600_000) throw new UsageError(`--wait "${opts.wait}" is not a number of seconds between 0 and 600`);
  if (opts.voice && !opts.agent && !process.env.LIVEKIT_AGENT_NAME) throw new UsageError('--voice needs --agent <name> (the agent to listen to)');
  if (opts.voiceInput && !opts.voice) throw new UsageError('--voice-input needs --voice');
  if (opts.probeName !== undefined && !opts.probeName.trim()) throw new UsageError('--probe-name is empty; leave it out for a unique probe name');
  await validateEvidenceFlags(opts);
  // An unwritable output is a usage error found before the run, not an internal error after it.
  for (const [flag, file] of [['--junit', opts.junit], ['--bundle', opts.bundle]] as const) {
    if (file !== undefined) assertWritable(flag, file);
  }

  if (opts.repeat !== undefined || opts.interval !== undefined) {
    const { parseRepeatPlan, runRepeatedCheck } = await import('./repeat.js');
    const plan = parseRepeatPlan(opts);
    if (plan) {
      const input = { globals, version, strict: opts.strict, selection, options: checkOptions(opts, waitMs) };
      return runRepeatedCheck(globals, opts, plan, input, { startSpinner, disposeMedia });
    }
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
      options: checkOptions(opts, waitMs),
      hooks: { onStart: (c) => spinner?.update(c.title) },
      log: globals.verbose ? (l) => process.stderr.write(`${l}\n`) : undefined,
    });
    report = run.report;
  } finally {
    spinner?.stop();
    interrupt.dispose();
    await disposeMedia();
  }
  await writeOutputs(report, globals, opts);
  return interrupt.exitCode() ?? report.exitCode;
}

function checkOptions(opts: CheckCommandOptions, waitMs: number): CheckOptions {
  return {
    agentName: opts.agent,
    probeName: opts.probeName,
    probeNameExplicit: opts.probeName !== undefined,
    probeMode: opts.probeMode,
    probeAnswerDelayMs: opts.probeAnswerDelay !== undefined ? Number(opts.probeAnswerDelay) : undefined,
    workerId: opts.workerId,
    voice: opts.voice,
    voiceInput: opts.voiceInput,
    agentHttp: opts.agentHttp,
    serverLog: opts.serverLog,
    ...appCheckOptions(opts),
    waitMs,
  };
}

/**
 * A --server-log file that is not a livekit-server log is a usage error (exit 2, one line) before anything
 * runs: no room is created and no agent session started for a run whose evidence is unusable. Stdin is read
 * during the run instead (a `docker logs -f` pipe only carries the run's lines while it runs).
 */
async function validateEvidenceFlags(opts: CheckCommandOptions): Promise<void> {
  for (const url of opts.agentHttp ?? []) {
    const { agentBaseUrl } = await import('../../evidence/agent-http.js');
    try {
      agentBaseUrl(url);
    } catch {
      throw new UsageError(`--agent-http "${url}" is not an http(s) URL or host:port (e.g. http://localhost:8081)`);
    }
  }
  if (opts.serverLog === undefined) return;
  if (opts.serverLog === '-') {
    if (process.stdin.isTTY) throw new UsageError('--server-log -: stdin is a terminal; pipe the log in, e.g. `docker logs -f livekit 2>&1 | livekit-doctor check … --server-log -`');
    return;
  }
  const { readServerLog, parseServerLog } = await import('../../evidence/server-log.js');
  const { text } = await readServerLog(opts.serverLog);
  try {
    parseServerLog(text);
  } catch (err) {
    if (err instanceof UsageError) throw new UsageError(`--server-log ${opts.serverLog}: ${err.message}`);
    throw err;
  }
}

async function writeOutputs(report: Report, globals: GlobalOptions, opts: CheckCommandOptions): Promise<void> {
  if (opts.junit) {
    const { renderJunit } = await import('../../report/render-junit.js');
    writeFileSync(opts.junit, renderJunit(report, { strict: opts.strict }));
  }
  if (opts.bundle) {
    const { writeBundle } = await import('../../report/bundle.js');
    writeBundle(opts.bundle, report, { settings: report.target.settings, verbose: globals.verbose });
    process.stderr.write(`evidence bundle written to ${opts.bundle}\n`);
  }
  if (globals.json) {
    const { renderJson } = await import('../../report/render-json.js');
    process.stdout.write(`${renderJson(report)}\n`);
    return;
  }
  if (opts.format === 'github') {
    const { renderGithubAnnotations, renderGithubSummary } = await import('../../report/render-github.js');
    const annotations = renderGithubAnnotations(report, { strict: opts.strict });
    if (annotations) process.stdout.write(`${annotations}\n`);
    const summaryFile = process.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) {
      const { appendFileSync } = await import('node:fs');
      appendFileSync(summaryFile, `${renderGithubSummary(report)}\n`);
    }
  }
  const [{ renderTerminal }, { makeChalk }] = await Promise.all([import('../../report/render-terminal.js'), import('../../report/style.js')]);
  const color = makeChalk(globals).level > 0;
  process.stdout.write(`${renderTerminal(report, { color, verbose: !!globals.verbose })}\n`);
}

function assertWritable(flag: string, file: string): void {
  const dir = dirname(resolve(file));
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${file}: the folder ${dir} does not exist or is not writable; create it or choose another path`);
  }
}

async function listChecks(globals: GlobalOptions): Promise<number> {
  const rows = CHECKS.map((c) => ({ id: c.id, title: c.title, needs: c.needs, required: c.required ?? true }));
  if (globals.json) {
    process.stdout.write(`${JSON.stringify({ schema: 'livekit-doctor/checks@1', checks: rows }, null, 2)}\n`);
    return 0;
  }
  const { plainTable } = await import('../../report/table.js');
  const table = await plainTable(['id', 'title', 'needs']);
  for (const r of rows) table.push([r.id, r.title, r.needs.join(', ') || '-']);
  process.stdout.write(`${table.toString()}\n`);
  return 0;
}

interface Spinner {
  update(text: string): void;
  stop(): void;
}

/** Progress only on a terminal, on stderr, never with --json. */
async function startSpinner(globals: GlobalOptions): Promise<Spinner | undefined> {
  if (!process.stderr.isTTY || globals.json) return undefined;
  const { default: ora } = await import('ora');
  const spinner = ora({ stream: process.stderr, text: 'starting', color: 'cyan' }).start();
  return { update: (t) => (spinner.text = t), stop: () => spinner.stop() };
}

/** rtc-node keeps the process alive until disposed; only touch it if some check loaded it. */
async function disposeMedia(): Promise<void> {
  try {
    const { disposeRtc } = await import('../../livekit/participant.js');
    await disposeRtc();
  } catch {
    // not loaded or not built yet: nothing to dispose
  }
}
