import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream } from 'node:fs';

/** A service the harness started, its output in a log file, stopped with SIGTERM and, after 5 s, SIGKILL. */
export interface LoggedProcess {
  child: ChildProcess;
  /** Resolves when the process has exited (or could not start). */
  exit: Promise<void>;
  exited(): boolean;
  /** ENOENT and the like arrive as 'error' without an 'exit'. */
  spawnError(): Error | undefined;
  /** Idempotent; also closes the log file. */
  stop(): Promise<void>;
}

/** `append`: keep what the log file holds (a restarted service writes on after its previous run). */
export function spawnLogged(bin: string, args: string[], opts: { logFile: string; cwd?: string; env?: SpawnOptions['env']; append?: boolean }): LoggedProcess {
  const logStream = createWriteStream(opts.logFile, { flags: opts.append ? 'a' : 'w' });
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(opts.cwd ? { cwd: opts.cwd } : {}), ...(opts.env ? { env: opts.env } : {}) });
  child.stdout!.pipe(logStream, { end: false });
  child.stderr!.pipe(logStream, { end: false });
  let exited = false;
  let spawnError: Error | undefined;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', () => {
      exited = true;
      resolve();
    });
    child.on('error', (err) => {
      spawnError = err;
      exited = true;
      resolve();
    });
  });
  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    }
    logStream.end();
  };
  return { child, exit, exited: () => exited, spawnError: () => spawnError, stop };
}
