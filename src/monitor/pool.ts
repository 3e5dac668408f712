import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Report } from '../core/model.js';
import type { ChildRunInput, FromChild, ToChild } from './protocol.js';

export const DEFAULT_RUNS_PER_PROCESS = 1;
/** How long a run process may take to finish its runs' cleanup and exit when asked. */
const EXIT_DEADLINE_MS = 20_000;

interface Pending {
  resolve(value: { report: Report; rssBytes: number }): void;
  reject(err: Error): void;
  /** The process confirmed it has the run. */
  started: boolean;
}

/** The process died before it confirmed the run (a spare that died while idle): the run goes to a new one. */
class NotStartedError extends Error {}

/** One forked run process (child.ts) and the runs it has in flight. */
class RunProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  readonly pending = new Map<number, Pending>();
  runs = 0;
  retiring = false;
  alive = true;

  constructor(entry: string) {
    // stdout is dropped: nothing a library prints there may reach the monitor's --json lines. stderr is shared.
    // An --inspect of the monitor must not make every run process claim the same debugger port.
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--inspect'));
    this.child = fork(entry, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], serialization: 'json', execArgv });
    this.child.on('message', (m: FromChild) => {
      if (m.type === 'ready') return;
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'started') {
        p.started = true;
        return;
      }
      this.pending.delete(m.id);
      if (m.type === 'report') p.resolve({ report: m.report, rssBytes: m.rssBytes });
      else p.reject(new Error(m.message));
      if (this.retiring && this.pending.size === 0) this.send({ type: 'exit' });
    });
    this.exited = new Promise((resolve) => {
      const gone = (why: string) => {
        this.alive = false;
        for (const p of this.pending.values()) p.reject(p.started ? new Error(why) : new NotStartedError(why));
        this.pending.clear();
        resolve();
      };
      this.child.on('exit', (code, signal) => gone(`the run process exited (${signal ?? `code ${code}`}) before the run ended`));
      this.child.on('error', (err) => gone(`the run process failed: ${err.message}`));
    });
  }

  send(message: ToChild): void {
    try {
      if (this.alive && this.child.connected) this.child.send(message);
    } catch {
      // the process is exiting: its 'exit' fails what it had in flight
    }
  }

  retire(): void {
    if (this.retiring) return;
    this.retiring = true;
    if (this.pending.size === 0) this.send({ type: 'exit' });
  }

  async stop(): Promise<void> {
    this.retire();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), EXIT_DEADLINE_MS);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * Runs checklists in forked run processes: one process serves every target's runs (concurrently) until it
 * has started `runsPerProcess` runs; then a fresh one takes the new runs and the old one exits once its last
 * run ended. A run process that dies fails only its own runs; the next run gets a new process.
 */
export class RunProcessPool {
  private current?: RunProcess;
  private readonly all = new Set<RunProcess>();
  private seq = 0;
  private closed = false;
  constructor(
    private readonly runsPerProcess: number = DEFAULT_RUNS_PER_PROCESS,
    /** The run process's script (child.ts as built); a test gives a stand-in speaking the same protocol. */
    private readonly entry: string = fileURLToPath(new URL('./child.js', import.meta.url)),
  ) {}

  /** The pids of the run processes alive now. */
  pids(): number[] {
    return [...this.all].map((p) => p.child.pid).filter((pid): pid is number => pid !== undefined);
  }

  private spawn(): RunProcess {
    const p = new RunProcess(this.entry);
    this.all.add(p);
    void p.exited.then(() => this.all.delete(p));
    return p;
  }

  /** Starts the first run process ahead of the first run, so that its module loading is not in that run's time. */
  warm(): void {
    if (!this.closed && !this.current) this.current = this.spawn();
  }

  /**
   * One run; `signal` asks the run process to abort it (the run still cleans up); after `deadlineMs` the process
   * is killed. A process that dies before it confirmed the run costs no run: it goes once to a fresh process.
   */
  async run(input: ChildRunInput, signal: AbortSignal, deadlineMs: number): Promise<{ report: Report; rssBytes: number }> {
    try {
      return await this.runOnce(input, signal, deadlineMs);
    } catch (err) {
      if (!(err instanceof NotStartedError) || this.closed) throw err;
      if (this.current && !this.current.alive) this.current = undefined;
      return this.runOnce(input, signal, deadlineMs);
    }
  }

  private runOnce(input: ChildRunInput, signal: AbortSignal, deadlineMs: number): Promise<{ report: Report; rssBytes: number }> {
    if (this.closed) return Promise.reject(new Error('the monitor is stopping'));
    let p = this.current;
    if (!p || !p.alive || p.retiring) p = this.current = this.spawn();
    p.runs++;
    const last = p.runs >= this.runsPerProcess;
    const proc = p;
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      const onAbort = () => proc.send({ type: 'abort', id });
      const timer = setTimeout(() => {
        reject(new Error(`the run did not end within ${(deadlineMs / 1000).toFixed(deadlineMs < 10_000 ? 1 : 0)} s; its process was stopped`));
        proc.child.kill('SIGKILL');
      }, deadlineMs);
      const settle = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };
      proc.pending.set(id, {
        resolve: (v) => (settle(), resolve(v)),
        reject: (e) => (settle(), reject(e)),
        started: false,
      });
      signal.addEventListener('abort', onAbort, { once: true });
      proc.send({ type: 'run', id, input });
      if (signal.aborted) onAbort();
      if (last) {
        proc.retire();
        // The next process loads its modules now, while this one still runs.
        this.current = this.spawn();
      }
    });
  }

  /** Lets every run process finish its runs and exit (killed after a deadline). */
  async close(): Promise<void> {
    this.closed = true;
    this.current = undefined;
    await Promise.all([...this.all].map((p) => p.stop()));
  }
}
