import type { Connection } from '../config/types.js';
import type { Timeline } from '../core/timeline.js';
import { ProbeWorker, WorkerError, uniqueProbeName, type JobRecord } from '../livekit/worker/index.js';
import { OperationError, ExitCode } from '../core/errors.js';
import type { DispatchSample } from './types.js';
import type { BenchTargetDriver } from './target.js';

/**
 * W probe workers under one fresh name: the platform measured without any agent code in the way.
 * The workers stamp each frame on the run clock as it arrives; samples are matched by room name,
 * which is unique per dispatch (a job request can arrive before the CreateDispatch answer).
 */
export async function startProbeTarget(
  connection: Connection,
  timeline: Timeline,
  opts: { workers: number; timeoutMs: number; answerDelayMs?: number; signal: AbortSignal },
): Promise<BenchTargetDriver> {
  const agentName = uniqueProbeName();
  const byRoom = new Map<string, { sample: DispatchSample; wake: () => void }>();
  const workers = Array.from(
    { length: opts.workers },
    () =>
      new ProbeWorker({
        url: connection.wsUrl, apiKey: connection.apiKey, apiSecret: connection.apiSecret, agentName, mode: 'accept', timeline,
        registerTimeoutMs: connection.timeoutMs, joinTimeoutMs: opts.timeoutMs, answerDelayMs: opts.answerDelayMs,
      }),
  );
  const update = (job: JobRecord, apply: (s: DispatchSample) => void) => {
    const entry = byRoom.get(job.room);
    if (!entry) return;
    apply(entry.sample);
    entry.wake();
  };
  for (const worker of workers) {
    worker.on('job', (job) => update(job, (s) => ((s.jobRequestAtMs ??= job.requestAtMs), (s.workerId ??= worker.workerId))));
    worker.on('assignment', (job) => update(job, (s) => (s.assignedAtMs ??= job.assignedAtMs)));
    worker.on('joined', (job) => update(job, (s) => ((s.joinedAtMs ??= job.joinedAtMs), (s.participantIdentity = job.participantIdentity))));
    worker.on('join-failed', (job) => update(job, (s) => (s.error ??= job.joinError)));
  }
  const stop = async () => {
    await Promise.allSettled(workers.map((w) => w.stop()));
  };
  try {
    await Promise.all(workers.map((w) => w.start(opts.signal)));
  } catch (err) {
    await stop();
    if (err instanceof WorkerError) {
      throw new OperationError(`a probe worker could not register: ${err.message}\n  fix: ${err.fix}`, err.isConfiguration ? ExitCode.usage : ExitCode.failed, err.cause);
    }
    throw err;
  }

  return {
    agentName,
    workerIds: workers.map((w) => w.workerId ?? '?'),
    expect(sample) {
      byRoom.set(sample.room, { sample, wake: () => {} });
    },
    async wait(sample, deadlineMs, signal) {
      const entry = byRoom.get(sample.room);
      if (!entry) return;
      const finished = () => sample.joinedAtMs !== undefined || sample.error !== undefined || workers.every((w) => w.closed);
      if (!finished()) {
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            signal.removeEventListener('abort', done);
            resolve();
          };
          const timer = setTimeout(done, Math.max(0, deadlineMs - timeline.clock.now()));
          entry.wake = () => finished() && done();
          signal.addEventListener('abort', done, { once: true });
        });
      }
      byRoom.delete(sample.room);
    },
    stop,
  };
}
