import { accessSync, constants } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { validateSelection, type CheckOptions, type Selection } from '../../doctor.js';
import { appCheckOptions } from './app-flags.js';
import { assertSpeechFile } from '../speech-file.js';
import type { CheckCommandOptions } from './options.js';

export interface CheckPlan {
  selection: Selection;
  options: CheckOptions;
}

/** Every flag of `check` validated before anything is created: a bad one is a usage error (exit 2, one line). */
export async function planCheck(opts: CheckCommandOptions): Promise<CheckPlan> {
  const selection = { only: opts.only, skip: opts.skip };
  const unknown = validateSelection(selection);
  if (unknown.length) throw new UsageError(`unknown check id${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} in --only/--skip; see \`livekit-doctor check --list-checks\``);
  const waitMs = Number(opts.wait) * 1000;
  if (!Number.isFinite(waitMs) || waitMs <= 0 || waitMs > 600_000) throw new UsageError(`--wait "${opts.wait}" is not a number of seconds between 0 and 600`);
  if (opts.voice && !opts.agent && !process.env.LIVEKIT_AGENT_NAME) throw new UsageError('--voice needs --agent <name> (the agent to listen to)');
  if (opts.voiceInput && !opts.voice) throw new UsageError('--voice-input needs --voice');
  if (opts.voiceInput !== undefined) await assertSpeechFile(opts.voiceInput);
  if (opts.probeName !== undefined && !opts.probeName.trim()) throw new UsageError('--probe-name is empty; leave it out for a unique probe name');
  await validateEvidenceFlags(opts);
  const nodes = await validateNodeFlags(opts);
  // An unwritable output is a usage error found before the run, not an internal error after it.
  for (const [flag, file] of [['--junit', opts.junit], ['--bundle', opts.bundle]] as const) {
    if (file !== undefined) assertWritable(flag, file);
  }
  const sip = opts.sip || [...(opts.only ?? [])].some((id) => id === 'sip' || id.startsWith('sip.'));
  return { selection, options: { ...checkOptions(opts, waitMs), ...(nodes.length ? { nodes } : {}), ...(sip ? { sip: true } : {}) } };
}

/** --node: valid, distinct addresses, bounded; many nodes off this machine need a yes (a terminal question or --yes). */
async function validateNodeFlags(opts: CheckCommandOptions): Promise<string[]> {
  if (!opts.node?.length) return [];
  const { parseNodes, nodesNeedConfirmation } = await import('../nodes.js');
  const nodes = parseNodes(opts.node);
  if (nodesNeedConfirmation(nodes) && !opts.yes) {
    const { confirm } = await import('../interaction.js');
    const n = nodes.length;
    await confirm(`--node: ${n} nodes means ${n} probe workers and ${n * n} dispatches${opts.agent ? ` plus ${n} sessions of your agent` : ''} on servers that are not on this machine`, 'check');
  }
  return nodes;
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

function assertWritable(flag: string, file: string): void {
  const dir = dirname(resolve(file));
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`${flag} ${file}: the folder ${dir} does not exist or is not writable; create it or choose another path`);
  }
}
