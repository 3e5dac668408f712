/**
 * The run process of `monitor` (forked by pool.ts): runs checklists on request and sends each Report back.
 * Runs live in their own process because @livekit/rtc-node keeps native memory after the rooms it joined
 * (measured with 1.1.0: RSS +30 MB over the first 20 joins, then about +0.45 MB per join, not released by
 * disconnect): the pool replaces this process after --runs-per-process runs (default 1), which bounds that
 * growth. Signals go to the monitor, which asks for an abort here, so that every run still removes what it
 * created; a lost monitor (disconnect) aborts the runs the same way.
 */
import type { FromChild, ToChild } from './protocol.js';

process.env.NODE_ENV ??= 'production';
// Ctrl-C reaches the whole process group: the monitor decides, and sends an abort.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});

const runs = new Map<number, { controller: AbortController; done: Promise<void> }>();
let exiting = false;

function send(message: FromChild): void {
  try {
    if (process.connected) process.send!(message);
  } catch {
    // the monitor is gone: 'disconnect' ends this process
  }
}

// Loaded at start (the pool starts the next process ahead of need); messages wait for it.
const modules = Promise.all([import('../doctor.js'), import('../core/redact.js')]);

async function exit(): Promise<void> {
  if (exiting) return;
  exiting = true;
  for (const r of runs.values()) r.controller.abort(new Error('the monitor stops'));
  await Promise.allSettled([...runs.values()].map((r) => r.done));
  const { disposeRtc } = await import('../livekit/participant.js');
  await Promise.race([disposeRtc(), new Promise((r) => setTimeout(r, 5_000).unref())]);
  process.exit(0);
}

process.on('message', (message: ToChild) => {
  if (message.type === 'exit') void exit();
  else if (message.type === 'abort') runs.get(message.id)?.controller.abort(new Error('interrupted'));
  else if (message.type === 'run' && !exiting) {
    const { id, input } = message;
    send({ type: 'started', id });
    const controller = new AbortController();
    const done = modules.then(([{ runDoctor }, { redact }]) => runDoctor({
      globals: input.globals,
      version: input.version,
      interrupt: controller.signal,
      strict: input.strict,
      selection: input.selection,
      options: input.options,
      command: 'monitor',
      log: input.verbose ? (l) => process.stderr.write(`${redact(`[${input.target}] ${l}`)}\n`) : undefined,
    }).then(
      ({ report }) => send({ type: 'report', id, report, rssBytes: process.memoryUsage.rss() }),
      (err: unknown) => send({ type: 'error', id, message: redact(err instanceof Error ? err.message : String(err)) }),
    ))
      .catch(() => send({ type: 'error', id, message: 'the run process could not load the doctor' }))
      .finally(() => runs.delete(id));
    runs.set(id, { controller, done });
  }
});
process.on('disconnect', () => void exit());
void modules.then(() => send({ type: 'ready' }));
