import { loadConnection } from '../../config/index.js';
import { redact, redactDeep } from '../../core/redact.js';
import { ExitCode, OperationError } from '../../core/errors.js';
import { Timeline } from '../../core/timeline.js';
import type { GlobalOptions } from '../shared.js';
import type { JobRecord, ProbeWorker, WorkerClosed } from '../../livekit/worker/index.js';

export interface ProbeRunOptions {
  agentName?: string;
  mode: 'accept' | 'observe' | 'reject';
  durationMs?: number;
}

type Ending = 'duration' | 'SIGINT' | 'SIGTERM' | 'closed';

/** `livekit-doctor probe`: a foreground probe worker; returns the exit code. */
export async function runProbe(global: GlobalOptions, opts: ProbeRunOptions): Promise<number> {
  const json = Boolean(global.json);
  const { connection } = await loadConnection(global);
  const { ProbeWorker, WorkerError, uniqueProbeName } = await import('../../livekit/worker/index.js');
  const { disposeRtc } = await import('../../livekit/participant.js');
  const agentName = opts.agentName ?? uniqueProbeName();
  const out = (line: string) => process.stdout.write(`${redact(line)}\n`);
  const emit = (event: string, data: Record<string, unknown>) => out(JSON.stringify(redactDeep({ event, ...data })));
  const note = (line: string) => process.stderr.write(`${redact(line)}\n`);

  if (opts.agentName !== undefined) {
    note(`warning: registering under "${agentName}": real jobs for that name may land on the probe, and the probe's answer (${opts.mode}) decides them.`);
  }

  const ending = new AbortController();
  let endedBy: Ending | undefined;
  const end = (why: Ending) => {
    endedBy ??= why;
    ending.abort();
  };
  const onSigint = () => end('SIGINT');
  const onSigterm = () => end('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);

  const timeline = new Timeline();
  const worker: ProbeWorker = new ProbeWorker({
    url: connection.wsUrl, apiKey: connection.apiKey, apiSecret: connection.apiSecret, agentName, mode: opts.mode, timeline,
    registerTimeoutMs: connection.timeoutMs, joinTimeoutMs: connection.timeoutMs,
  });
  try {
    let registeredAtMs = 0;
    try {
      const reg = await worker.start(ending.signal);
      registeredAtMs = reg.atMs;
      if (json) emit('registered', { atMs: reg.atMs, workerId: reg.workerId, agentName, mode: opts.mode, server: reg.server });
      note(`probe worker ${reg.workerId} registered as "${agentName}" (mode ${opts.mode}) on ${connection.url}, server ${reg.server.version ?? '?'} ${reg.server.edition ?? ''}`.trimEnd());
      note(`waiting for job requests${opts.durationMs ? ` for ${opts.durationMs / 1000} s` : ''} (Ctrl-C to stop); dispatch one with:`);
      note(`  lk dispatch create --room <room> --agent-name ${agentName}`);
    } catch (err) {
      if (endedBy === 'SIGINT' || endedBy === 'SIGTERM') return endedBy === 'SIGINT' ? ExitCode.interrupted : ExitCode.terminated;
      if (err instanceof WorkerError) {
        throw new OperationError(`probe worker could not register: ${err.message}\n  fix: ${err.fix}`, err.isConfiguration ? ExitCode.usage : ExitCode.failed, err.cause);
      }
      throw err;
    }

    const since = (atMs: number | undefined) => (atMs === undefined ? '?' : `+${((atMs - registeredAtMs) / 1000).toFixed(2)} s`);
    worker.on('job', (job: JobRecord) => {
      if (json) return emit('job', { ...jobFields(job), sinceRegisteredMs: round(job.requestAtMs - registeredAtMs) });
      out(`[${since(job.requestAtMs)}] job ${job.jobId}  room ${job.room}  dispatch ${job.dispatchId || '-'}  agent "${job.agentName}"  metadata ${job.metadata ? JSON.stringify(job.metadata) : '-'}  → ${job.accepted ? 'accept' : 'reject'}`);
    });
    worker.on('assignment', (job) => (json ? emit('assignment', jobFields(job)) : out(`[${since(job.assignedAtMs)}]   ${job.jobId} assigned${opts.mode === 'observe' ? ' (observe: not joining)' : ''}`)));
    worker.on('joined', (job) => (json ? emit('joined', jobFields(job)) : out(`[${since(job.joinedAtMs)}]   ${job.jobId} joined room ${job.room} as ${job.participantIdentity}`)));
    worker.on('join-failed', (job) => (json ? emit('join-failed', jobFields(job)) : out(`[+?]   ${job.jobId} could not join: ${job.joinError}`)));
    worker.on('left', (job) => (json ? emit('left', jobFields(job)) : out(`[${since(job.leftAtMs)}]   ${job.jobId} left the room`)));
    worker.on('closed', (closed: WorkerClosed) => {
      if (closed.byServer) end('closed');
    });
    if (worker.closed?.byServer) end('closed');

    let durationTimer: NodeJS.Timeout | undefined;
    if (opts.durationMs) durationTimer = setTimeout(() => end('duration'), opts.durationMs);
    await new Promise<void>((resolve) => (ending.signal.aborted ? resolve() : ending.signal.addEventListener('abort', () => resolve(), { once: true })));
    clearTimeout(durationTimer);

    const stats = { jobs: worker.jobs.size, joined: [...worker.jobs.values()].filter((j) => j.joinedAtMs !== undefined).length };
    if (endedBy === 'closed') {
      const c = worker.closed!;
      note(`the server closed the worker socket (code ${c.code}${c.reason ? `: ${c.reason}` : ''}) after ${stats.jobs} job request(s)`);
      if (json) emit('closed', { atMs: c.atMs, code: c.code, reason: c.reason, ...stats });
      return ExitCode.failed;
    }
    if (json) emit('stopped', { by: endedBy, ...stats });
    note(`stopping (${endedBy === 'duration' ? 'duration reached' : endedBy}): ${stats.jobs} job request(s), ${stats.joined} joined`);
    return endedBy === 'SIGINT' ? ExitCode.interrupted : endedBy === 'SIGTERM' ? ExitCode.terminated : ExitCode.ok;
  } finally {
    await worker.stop();
    await disposeRtc();
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function jobFields(job: JobRecord): Record<string, unknown> {
  const { jobId, dispatchId, room, agentName, metadata, participantIdentity, accepted, requestAtMs, answeredAtMs, assignedAtMs, joinedAtMs, leftAtMs, joinError } = job;
  return { jobId, dispatchId, room, agentName, metadata, participantIdentity, accepted, requestAtMs, answeredAtMs, assignedAtMs, joinedAtMs, leftAtMs, joinError };
}
