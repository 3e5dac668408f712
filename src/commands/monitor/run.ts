import { createRequire } from 'node:module';
import { ExitCode, UsageError } from '../../core/errors.js';
import { trapInterrupts } from '../../core/interrupt.js';
import { redact } from '../../core/redact.js';
import { parseInterval, parseListen } from '../../monitor/duration.js';
import { TARGET_NAME } from '../../monitor/labels.js';
import { runMonitor, validateTargets, type MonitorIo, type MonitorPlan, type MonitorTarget } from '../../monitor/run.js';
import { disposeMedia } from '../progress.js';
import type { GlobalOptions } from '../shared.js';
import { planCheck } from '../check/validate.js';
import type { MonitorCommandOptions } from './options.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };
const MAX_RUNS = 1_000_000;

const io: MonitorIo = {
  status: (line) => process.stderr.write(`${redact(line)}\n`),
  out: (line) => process.stdout.write(`${line}\n`),
};

/** `livekit-doctor monitor`: flags → plan (every problem a usage error before anything runs) → runMonitor. */
export async function runMonitorCommand(globals: GlobalOptions, opts: MonitorCommandOptions): Promise<number> {
  const plan = await planMonitor(globals, opts);
  const interrupt = trapInterrupts((name) => io.status(`livekit-doctor monitor: ${name}: no new runs; finishing the current runs' cleanup, then exiting`));
  try {
    await runMonitor(plan, interrupt.signal, io);
  } finally {
    interrupt.dispose();
    await disposeMedia();
  }
  return interrupt.exitCode() ?? ExitCode.ok;
}

export async function planMonitor(globals: GlobalOptions, opts: MonitorCommandOptions): Promise<MonitorPlan> {
  const intervalMs = parseInterval(opts.interval, '--interval');
  const listen = parseListen(opts.listen);
  let maxRuns: number | undefined;
  if (opts.runs !== undefined) {
    maxRuns = Number(opts.runs);
    if (!/^\s*\d+\s*$/.test(opts.runs) || maxRuns < 1 || maxRuns > MAX_RUNS) throw new UsageError(`--runs "${opts.runs}" is not a whole number from 1 to ${MAX_RUNS}`);
  }
  const runsPerProcess = Number(opts.runsPerProcess);
  if (!/^\s*\d+\s*$/.test(opts.runsPerProcess) || runsPerProcess < 1 || runsPerProcess > 10_000) throw new UsageError(`--runs-per-process "${opts.runsPerProcess}" is not a whole number from 1 to 10000`);
  if (opts.serverLog === '-') throw new UsageError('--server-log -: a monitor reads the log again in every run, and stdin can be read only once; give the log file (e.g. /var/log/livekit-server.log)');
  const { selection, options } = await planCheck({
    agent: opts.agent,
    probeName: opts.probeName,
    probeMode: opts.probeMode,
    workerId: opts.workerId,
    voice: opts.voice,
    voiceInput: opts.voiceInput,
    agentHttp: opts.agentHttp,
    serverLog: opts.serverLog,
    wait: opts.wait,
    only: opts.only,
    skip: opts.skip,
    strict: opts.strict,
  });
  let targets: MonitorTarget[];
  if (opts.targets !== undefined) {
    const given = (['url', 'apiKey', 'apiSecret', 'project'] as const).filter((k) => globals[k] !== undefined);
    if (given.length) throw new UsageError(`--targets ${opts.targets} names each target's connection; leave out ${given.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`);
    if (Array.isArray(globals.envFile)) throw new UsageError(`--env-file does not apply with --targets: each target's values come from ${opts.targets}, whose \${NAME} references read the environment`);
    if (opts.targetName !== 'default') throw new UsageError('--target-name names the one target watched without --targets; in --targets every target has its own name');
    const { loadTargetsFile } = await import('../../monitor/targets.js');
    const loaded = await loadTargetsFile(opts.targets);
    for (const w of loaded.warnings) io.status(`livekit-doctor: warning: ${w}`);
    targets = loaded.targets.map((t) => ({
      name: t.name,
      intervalMs: t.intervalMs ?? intervalMs,
      globals: { url: t.url, apiKey: t.apiKey, apiSecret: t.apiSecret, envFile: false, timeout: globals.timeout, verbose: globals.verbose, json: globals.json },
      options: { ...options, ...(t.agent !== undefined ? { agentName: t.agent } : {}) },
    }));
  } else {
    const name = (opts.targetName ?? 'default').trim();
    if (!TARGET_NAME.test(name)) throw new UsageError(`--target-name "${name}" must be 1-63 letters, digits, . _ or - (it becomes the target label)`);
    targets = [{ name, intervalMs, globals, options }];
  }
  await validateTargets(targets, io, opts.targets !== undefined);
  return { targets, listen, selection, strict: opts.strict, json: globals.json ?? false, verbose: globals.verbose, version, maxRuns, runsPerProcess };
}
