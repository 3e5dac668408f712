import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeTcpPort } from './ports.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixturesDir = join(repoRoot, 'test', 'fixtures');

export type AgentFramework = 'node' | 'python';
/**
 * What the fixture agent does with a job: `tone` accepts, joins and publishes a 440 Hz tone; `silent`
 * joins and publishes nothing; `crash` accepts and throws before joining; `reject` rejects every job;
 * `full` reports load 1 ≥ threshold 0.7 (WS_FULL); `echo` joins and publishes the tone once a
 * non-agent participant publishes audio; `slow-init` registers and accepts jobs, but every job process's
 * prewarm outlasts the fixture's short initialisation timeout (1.5 s), so no process ever gets ready.
 */
export type AgentBehaviour = 'tone' | 'silent' | 'crash' | 'reject' | 'full' | 'echo' | 'slow-init' | ConversationBehaviour;
/**
 * The conversational fixture (test/fixtures/python-agent/conversation.py, test/fixtures/node-agent/conversation.mjs):
 * a real AgentSession with silero VAD and offline STT/LLM/TTS. `healthy` answers every turn and survives a reload.
 */
export type ConversationBehaviour = 'healthy' | 'greets' | 'cloud-inference' | 'linked-other' | 'llm-fails' | 'tts-fails' | 'hidden' | 'leaves-on-disconnect' | 'never-starts-session';
const CONVERSATION_BEHAVIOURS: readonly string[] = ['healthy', 'greets', 'cloud-inference', 'linked-other', 'llm-fails', 'tts-fails', 'hidden', 'leaves-on-disconnect', 'never-starts-session'];

export interface StartAgentOptions {
  framework: AgentFramework;
  url: string;
  apiKey: string;
  apiSecret: string;
  /** '' registers an unnamed worker (automatic dispatch). */
  agentName: string;
  behaviour: AgentBehaviour;
  /** The framework's own health server (GET / and GET /worker) on 127.0.0.1; a free port when omitted. */
  httpPort?: number;
  /** How long to wait for `registered worker` (default 60 s). */
  registerTimeoutMs?: number;
  /** How many times the worker reconnects to LiveKit before it gives up (FIXTURE_MAX_RETRY; framework default 16 in Python, 10 in Node). */
  maxRetry?: number;
}

export interface RunningAgent {
  framework: AgentFramework;
  agentName: string;
  /** AW_… as the framework logged it on registration. */
  workerId: string;
  httpPort: number;
  /** The agent's process id, also its process group id (it runs detached). */
  pid: number;
  /** Milliseconds from spawn to the `registered worker` log line. */
  registerMs: number;
  /** Everything the agent wrote to stdout and stderr so far. */
  logs(): string;
  /** Whether the agent's main process has exited (e.g. it gave up reconnecting). */
  exited(): boolean;
  /** SIGTERM to the worker, then SIGKILL to its whole process group if anything is left after 5 s. Safe to call twice. */
  stop(): Promise<void>;
}

const installed = new Set<AgentFramework>();

/** Installs the fixture framework with scripts/install-fixtures.sh once per test process (a stamp makes repeats cheap). */
export function ensureFixtureInstalled(framework: AgentFramework): void {
  if (installed.has(framework)) return;
  execFileSync('bash', [join(repoRoot, 'scripts', 'install-fixtures.sh'), framework], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 600_000,
  });
  installed.add(framework);
}

function command(framework: AgentFramework, behaviour: AgentBehaviour): { file: string; args: string[]; cwd: string } {
  if (CONVERSATION_BEHAVIOURS.includes(behaviour)) {
    if (framework === 'node') {
      return { file: process.execPath, args: ['conversation.mjs', 'start'], cwd: join(fixturesDir, 'node-agent') };
    }
    const cwd = join(fixturesDir, 'python-agent');
    return { file: join(cwd, '.venv', 'bin', 'python'), args: ['conversation.py', 'start'], cwd };
  }
  if (framework === 'node') {
    return { file: process.execPath, args: ['agent.mjs', 'start'], cwd: join(fixturesDir, 'node-agent') };
  }
  const cwd = join(fixturesDir, 'python-agent');
  return { file: join(cwd, '.venv', 'bin', 'python'), args: ['agent.py', 'start'], cwd };
}

const MAX_LOG_CHARS = 4_000_000;
const live = new Set<number>();
// A test process that dies without calling stop() must still not leave agents running.
process.once('exit', () => {
  for (const pgid of live) signalGroup(pgid, 'SIGKILL');
});

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: nothing left in the group
  }
}

async function groupGone(pgid: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (!signalGroup(pgid, 0)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !signalGroup(pgid, 0);
}

async function waitForLog(
  child: ChildProcess,
  logs: () => string,
  pattern: RegExp,
  timeoutMs: number,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = logs().match(pattern);
    if (match) return match;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`agent exited (${child.exitCode ?? child.signalCode}) before logging ${pattern}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`agent did not log ${pattern} within ${timeoutMs} ms`);
}

/** Starts a real fixture agent (test/fixtures/<framework>-agent) and waits until it has registered. */
export async function startAgent(opts: StartAgentOptions): Promise<RunningAgent> {
  ensureFixtureInstalled(opts.framework);
  const httpPort = opts.httpPort ?? (await freeTcpPort());
  const { file, args, cwd } = command(opts.framework, opts.behaviour);
  const started = Date.now();
  const child = spawn(file, args, {
    cwd,
    detached: true, // its own process group: the framework forks job processes we must stop too
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      NODE_ENV: 'production',
      PYTHONUNBUFFERED: '1',
      LIVEKIT_URL: opts.url,
      LIVEKIT_API_KEY: opts.apiKey,
      LIVEKIT_API_SECRET: opts.apiSecret,
      FIXTURE_AGENT_NAME: opts.agentName,
      FIXTURE_HTTP_PORT: String(httpPort),
      FIXTURE_BEHAVIOUR: opts.behaviour,
      ...(opts.maxRetry !== undefined ? { FIXTURE_MAX_RETRY: String(opts.maxRetry) } : {}),
    },
  });
  const pid = child.pid!;
  live.add(pid);
  let text = '';
  const append = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    if (text.length > MAX_LOG_CHARS) text = text.slice(-MAX_LOG_CHARS / 2);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const logs = () => text;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // SIGTERM to the worker alone, as a container stop does: it then stops its own job processes (a
      // job process signalled directly while initialising stalls agents-js's shutdown for seconds).
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone; the group check below decides
      }
      if (!(await groupGone(pid, 5_000))) {
        signalGroup(pid, 'SIGKILL');
        if (!(await groupGone(pid, 3_000))) throw new Error(`agent process group ${pid} survived SIGKILL`);
      }
      live.delete(pid);
    })());

  try {
    const timeout = opts.registerTimeoutMs ?? 60_000;
    const registered = await waitForLog(child, logs, /registered worker.*?(AW_[A-Za-z0-9]+)|(AW_[A-Za-z0-9]+).*?registered worker/, timeout);
    const workerId = registered[1] ?? registered[2]!;
    const registerMs = Date.now() - started;
    if (opts.behaviour === 'full') {
      // The worker registers as available and reports WS_FULL with its next status update (up to 2.5 s
      // later); give the server a moment to apply it so a dispatch right after start sees a full worker.
      await waitForLog(child, logs, /full capacity/, 10_000);
      await new Promise((r) => setTimeout(r, 500));
    }
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    return { framework: opts.framework, agentName: opts.agentName, workerId, httpPort, pid, registerMs, logs, exited, stop };
  } catch (err) {
    await stop().catch(() => {});
    const tail = logs().split(opts.apiSecret).join('<redacted>').slice(-4000);
    throw new Error(`${opts.framework} fixture agent (${opts.behaviour}) failed to start: ${(err as Error).message}\n--- agent log tail ---\n${tail}`);
  }
}
