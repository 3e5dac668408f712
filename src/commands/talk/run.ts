import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { loadConnection, maskKey } from '../../config/index.js';
import { redact } from '../../core/redact.js';
import { UsageError } from '../../core/errors.js';
import { trapInterrupts } from '../../core/interrupt.js';
import type { GlobalOptions } from '../shared.js';
import { disposeMedia } from '../progress.js';
import { confirm, isLoopback } from '../interaction.js';
import { assertSpeechFile } from '../speech-file.js';
import type { TalkCommandOptions } from './options.js';

const { version } = createRequire(import.meta.url)('../../../package.json') as { version: string };
/** More turns than this against a remote server asks first: each is a real, possibly billed, agent turn. */
const MANY_TURNS = 10;

/** `livekit-doctor talk`: validate → dispatch and converse → report → cleanup; returns the exit code. */
export async function runTalkCommand(globals: GlobalOptions, opts: TalkCommandOptions): Promise<number> {
  const plan = await parsePlan(opts);
  const { connection } = await loadConnection(globals);
  if (!isLoopback(connection.httpUrl) && plan.turns > MANY_TURNS && !opts.yes) await confirm(`${plan.turns} turns with a real session of "${opts.agent}" on ${connection.url}, which is not on this machine`, 'talk');
  status(`talking to "${opts.agent}": a real session of your agent starts in a room livekit-doctor-talk-<id>; the doctor deletes it afterwards.`);
  const [{ runTalk }, { buildTalkReport }, { ServerApi }] = await Promise.all([import('../../talk/run.js'), import('../../talk/report.js'), import('../../livekit/server-api.js')]);
  const interrupt = trapInterrupts((name) => status(`${name}: stopping after this turn's cleanup…`));
  const startedAt = new Date();
  try {
    const run = await runTalk({
      connection,
      api: new ServerApi(connection),
      agentName: opts.agent,
      turns: plan.turns,
      speechFile: plan.speechFile,
      waitMs: plan.waitMs,
      signal: interrupt.signal,
      progress: status,
      onTurn: (t) => status(`turn ${t.n}: ${t.replyAudioAtMs !== undefined ? `reply ${Math.round(t.replyAudioAtMs - t.speechEndMs)} ms after the end of speech` : 'no reply'}`),
    });
    const report = buildTalkReport({
      version, startedAt, originUnixMs: run.originUnixMs, url: connection.url, apiKey: maskKey(connection.apiKey), agentName: opts.agent, room: run.room, agentIdentity: run.agentIdentity,
      speechFile: plan.speechFile, turns: run.turns, slo: plan.slo, cleanup: run.cleanup, interrupted: interrupt.signal.aborted, interruptCode: interrupt.exitCode(), error: run.error,
    });
    if (globals.json) process.stdout.write(`${redact(JSON.stringify(report, null, 2))}\n`);
    else {
      const [{ renderTalkTerminal }, { makeChalk }] = await Promise.all([import('../../talk/render-terminal.js'), import('../../report/style.js')]);
      process.stdout.write(`${await renderTalkTerminal(report, makeChalk(globals))}\n`);
      const { deleted, failed } = run.cleanup;
      process.stdout.write(`Cleanup: ${deleted.length ? `room ${deleted.join(', ')} deleted with its dispatch` : 'nothing to delete'}${failed.length ? `; failed: ${redact(failed.join('; '))}` : ''}.\n`);
    }
    if (opts.html) {
      const { renderTalkHtml } = await import('../../talk/render-html.js');
      writeFileSync(opts.html, renderTalkHtml(report));
      status(`HTML written to ${opts.html}`);
    }
    return report.exitCode;
  } finally {
    interrupt.dispose();
    await disposeMedia();
  }
}

interface Plan {
  turns: number;
  waitMs: number;
  speechFile: string;
  slo?: { expression: string; terms: import('../../talk/slo.js').TalkSloTerm[] };
}

/** Every flag checked before anything is created (exit 2, one line). */
async function parsePlan(opts: TalkCommandOptions): Promise<Plan> {
  if (!opts.agent.trim()) throw new UsageError('--agent is empty: give the exact agent name your worker registers with');
  const turns = Number(opts.turns);
  if (!/^\s*\d+\s*$/.test(opts.turns) || turns < 1 || turns > 50) throw new UsageError(`--turns "${opts.turns}" must be a whole number from 1 to 50`);
  const waitS = Number(opts.wait);
  if (!Number.isFinite(waitS) || waitS <= 0 || waitS > 600) throw new UsageError(`--wait "${opts.wait}" is not a number of seconds between 0 and 600`);
  const { DEFAULT_SPEECH } = await import('../../livekit/conversation.js');
  const speechFile = opts.voiceInput ?? DEFAULT_SPEECH;
  if (opts.voiceInput !== undefined) await assertSpeechFile(opts.voiceInput);
  let slo: Plan['slo'];
  if (opts.slo !== undefined) {
    const { parseTalkSlo, SloSyntaxError } = await import('../../talk/slo.js');
    try {
      slo = { expression: opts.slo, terms: parseTalkSlo(opts.slo) };
    } catch (err) {
      if (err instanceof SloSyntaxError) throw new UsageError(`--slo: ${err.message}`);
      throw err;
    }
  }
  if (opts.html !== undefined) {
    const { dirname, resolve } = await import('node:path');
    const { accessSync, constants } = await import('node:fs');
    try {
      accessSync(dirname(resolve(opts.html)), constants.W_OK);
    } catch {
      throw new UsageError(`--html ${opts.html}: the folder does not exist or is not writable`);
    }
  }
  return { turns, waitMs: Math.round(waitS * 1000), speechFile, slo };
}

function status(line: string): void {
  process.stderr.write(`${redact(line)}\n`);
}

