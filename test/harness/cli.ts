import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliPath = join(repoRoot, 'bin', 'livekit-doctor.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export interface CliOptions {
  /** Extra environment; LIVEKIT_* from the test runner's own environment are never passed. */
  env?: Record<string, string | undefined>;
  /** Working directory (default: a new empty temp folder, so no .env file is picked up). */
  cwd?: string;
  /** Hard limit; the process is killed after it (default 60 s). */
  timeoutMs?: number;
  input?: string;
  /** Leave stdin open (the test writes to it, e.g. a live log piped in); default: closed at once. */
  keepStdinOpen?: boolean;
  /**
   * A command and its arguments placed in front of `node <cli>` (e.g. `['faketime', '-f', '+5m']`, `['setsid']`):
   * the CLI runs under it, with the same clean environment. The exit code and signal are the wrapper's, which
   * for exec-style wrappers (faketime, setsid, env) are the CLI's own.
   */
  wrapper?: string[];
  /** Called with the child once it runs (e.g. to send SIGINT at the right moment). */
  onSpawn?: (child: import('node:child_process').ChildProcess, out: { stdout: () => string; stderr: () => string }) => void;
}

/** Runs the built CLI as a real process, the way a user would, with a clean environment and HOME. */
export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const cwd = opts.cwd ?? mkdtempSync(join(tmpdir(), 'lkd-cwd-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('LIVEKIT_') && k !== 'NODE_OPTIONS' && !k.startsWith('VITEST')) env[k] = v;
  }
  env.HOME = mkdtempSync(join(tmpdir(), 'lkd-home-'));
  env.NO_COLOR = '1';
  for (const [k, v] of Object.entries(opts.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // `--` as the bin shim's shebang has it: Node 20 would otherwise take the doctor's --env-file as its own.
    const [command, ...commandArgs] = [...(opts.wrapper ?? []), process.execPath, '--', cliPath, ...args] as [string, ...string[]];
    const child = spawn(command, commandArgs, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    if (opts.input !== undefined) child.stdin.end(opts.input);
    else if (!opts.keepStdinOpen) child.stdin.end();
    child.stdin.on('error', () => {}); // the CLI may exit while a test still writes
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    opts.onSpawn?.(child, { stdout: () => stdout, stderr: () => stderr });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, durationMs: performance.now() - started });
    });
  });
}

/** Connection flags for a harness server and one of its key pairs. */
export function connectionArgs(server: { url: string; keys: { key: string; secret: string }[] }, keyIndex = 0): string[] {
  const pair = server.keys[keyIndex]!;
  return ['--url', server.url, '--api-key', pair.key, '--api-secret', pair.secret];
}
