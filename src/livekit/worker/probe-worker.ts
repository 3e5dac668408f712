import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type WebSocket from 'ws';
import { registerSecret } from '../../core/redact.js';
import type { Timeline } from '../../core/timeline.js';
import { mintWorkerToken } from '../tokens.js';
import { agentSocketUrl, toWsUrl } from '../../core/urls.js';
import type { JoinedRoom } from '../participant.js';
import { WorkerError } from './errors.js';
import { decodeServerMessage, encodeAvailability, encodeJobUpdate, encodeRegister, encodeWorkerAvailable, type JobOffer, type ServerEvent } from './messages.js';
import { openWorkerSocket } from './socket.js';
import type { JobRecord, JobStage, ProbeWorkerOptions, Registration, WorkerClosed } from './types.js';
import { Waiter } from './waiter.js';

const SOURCE = 'probe';
/** The server pings every 10 s; three missed pings mean the path is dead even if TCP has not noticed. */
const SILENCE_LIMIT_MS = 35_000;

export interface ProbeWorkerEvents {
  job: [JobRecord];
  assignment: [JobRecord];
  joined: [JobRecord];
  'join-failed': [JobRecord];
  left: [JobRecord];
  termination: [JobRecord];
  closed: [WorkerClosed];
}

/**
 * The doctor's own agent worker: registers under a name, answers every job request at once and,
 * in accept mode, joins the room with rtc-node. Every protocol event lands on the Timeline (source
 * `probe`), stamped when the frame arrives. Nothing here hangs: each wait has a deadline.
 */
export class ProbeWorker extends EventEmitter<ProbeWorkerEvents> {
  readonly jobs = new Map<string, JobRecord>();
  registration?: Registration;
  closed?: WorkerClosed;

  private readonly opts: Required<Omit<ProbeWorkerOptions, 'timeline'>>;
  private readonly timeline: Timeline;
  private readonly waiter = new Waiter();
  private readonly unread: string[] = [];
  private readonly rooms = new Map<string, JoinedRoom>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly stopController = new AbortController();
  /** Joins still in flight: stop() awaits them, so that no late join re-creates a room after cleanup deleted it. */
  private readonly joining = new Set<Promise<void>>();
  private lastSocketError?: string;
  private ws?: WebSocket;
  private startPromise?: Promise<Registration>;
  private stopPromise?: Promise<void>;
  private lastHeardAt = performance.now();
  private socketOpenAtMs = 0;

  constructor(options: ProbeWorkerOptions) {
    super();
    this.timeline = options.timeline;
    this.opts = {
      registerTimeoutMs: 10_000,
      joinTimeoutMs: 10_000,
      answerDelayMs: 0,
      stayMs: 0,
      participantName: 'livekit-doctor probe',
      version: `livekit-doctor/${packageVersion()}`,
      ...stripUndefined(options),
    } as Required<Omit<ProbeWorkerOptions, 'timeline'>>;
    registerSecret(options.apiSecret);
  }

  get workerId(): string | undefined {
    return this.registration?.workerId;
  }

  /** Connects and registers; rejects with a classified WorkerError. Calling it again returns the same promise. */
  start(signal?: AbortSignal): Promise<Registration> {
    return (this.startPromise ??= this.connectAndRegister(signal));
  }

  /** The next job request not yet handed out (in arrival order), or undefined at the deadline or once the socket closed. */
  async nextJob(signal?: AbortSignal, timeoutMs = 10_000): Promise<JobRecord | undefined> {
    await this.waiter.until(() => this.unread.length > 0 || this.closed !== undefined, timeoutMs, signal);
    const id = this.unread.shift();
    return id === undefined ? undefined : this.jobs.get(id);
  }

  /** The job once it reached `stage`; undefined at the deadline, after a failed join, or once the socket closed. */
  async waitForStage(jobId: string, stage: JobStage, signal?: AbortSignal, timeoutMs = 10_000): Promise<JobRecord | undefined> {
    const reached = () => {
      const job = this.jobs.get(jobId);
      if (!job) return false;
      return stage === 'assigned' ? job.assignedAtMs !== undefined : stage === 'joined' ? job.joinedAtMs !== undefined : job.leftAtMs !== undefined;
    };
    const hopeless = () => {
      const job = this.jobs.get(jobId);
      if (this.closed && (stage === 'assigned' || !this.rooms.has(jobId))) return true;
      return stage !== 'assigned' && (job?.joinError !== undefined || (job?.assignedAtMs !== undefined && this.opts.mode !== 'accept'));
    };
    await this.waiter.until(() => reached() || hopeless(), timeoutMs, signal);
    return reached() ? this.jobs.get(jobId) : undefined;
  }

  /** Leaves a job's room now (instead of after stayMs). */
  async leaveJob(jobId: string): Promise<void> {
    const joined = this.rooms.get(jobId);
    const job = this.jobs.get(jobId);
    if (!joined || !job) return;
    this.rooms.delete(jobId);
    await joined.leave();
    job.leftAtMs = this.timeline.add(SOURCE, 'left', { jobId, room: job.room }).atMs;
    this.send(encodeJobUpdate(jobId, 'success'));
    this.emit('left', job);
    this.waiter.notify();
  }

  /** Leaves every room and closes the socket. Idempotent; never throws; bounded (about 7 s at worst). */
  stop(): Promise<void> {
    return (this.stopPromise ??= this.shutdown());
  }

  private async shutdown(): Promise<void> {
    this.stopController.abort();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    // A join cancelled mid-way still has rtc-node's connect running: wait until it settled and left (bounded
    // by joinRoom's own deadline), then leave every room. Only then may cleanup delete the rooms.
    await Promise.allSettled([...this.joining]);
    await Promise.allSettled([...this.rooms.keys()].map((id) => this.leaveJob(id)));
    const ws = this.ws;
    if (ws && !this.closed) {
      const closedEvent = new Promise<void>((resolve) => ws.once('close', () => resolve()));
      try {
        ws.close(1000, 'livekit-doctor probe done');
      } catch {
        ws.terminate();
      }
      const timer = setTimeout(() => ws.terminate(), 2000);
      await closedEvent;
      clearTimeout(timer);
    }
    await this.startPromise?.catch(() => {});
  }

  private async connectAndRegister(signal?: AbortSignal): Promise<Registration> {
    const { apiKey, apiSecret, registerTimeoutMs } = this.opts;
    const started = performance.now();
    const combined = signal ? AbortSignal.any([signal, this.stopController.signal]) : this.stopController.signal;
    const token = await mintWorkerToken(apiKey, apiSecret, '10m');
    const secrets = [apiSecret, token];
    let ws: WebSocket;
    try {
      ws = await openWorkerSocket(agentSocketUrl(this.opts.url), token, { timeoutMs: registerTimeoutMs, signal: combined, secrets });
    } catch (err) {
      throw this.failed(err, 'connect');
    }
    this.ws = ws;
    this.socketOpenAtMs = this.timeline.add(SOURCE, 'socket-open', { url: agentSocketUrl(this.opts.url) }).atMs;
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.on('ping', () => (this.lastHeardAt = performance.now()));
    ws.on('error', (err: Error & { code?: string }) => {
      this.lastSocketError = new WorkerError('unknown', err.code ?? err.message).message;
      this.timeline.add(SOURCE, 'error', { stage: 'socket', message: new WorkerError('unknown', err.message).message });
    });
    ws.on('close', (code, reason) => this.onClose(code, reason.toString('utf8')));
    this.watchSilence();
    this.send(encodeRegister(this.opts.agentName, this.opts.version));
    const left = registerTimeoutMs - (performance.now() - started);
    try {
      await this.waiter.until(() => this.registration !== undefined || this.closed !== undefined, left, combined);
    } catch (err) {
      throw this.failed(err, 'register');
    }
    if (!this.registration) {
      const why = this.closed
        ? new WorkerError('socket-closed', `the server closed the worker socket before confirming the registration (code ${this.closed.code}${this.closed.reason ? `: ${this.closed.reason}` : ''})`)
        : new WorkerError('register-timeout', `no register reply within ${registerTimeoutMs} ms of connecting`);
      throw this.failed(why, 'register');
    }
    this.send(encodeWorkerAvailable());
    return this.registration;
  }

  private failed(err: unknown, stage: string): WorkerError {
    const error = err instanceof WorkerError ? err : new WorkerError('unknown', `${stage}: ${(err as Error)?.message ?? String(err)}`);
    this.timeline.add(SOURCE, 'error', { stage, cause: error.cause, message: error.message, ...(error.status ? { status: error.status } : {}) });
    this.ws?.terminate();
    return error;
  }

  private onFrame(data: WebSocket.RawData, isBinary: boolean): void {
    this.lastHeardAt = performance.now();
    let event: ServerEvent;
    try {
      if (!isBinary) throw new Error('text frame');
      event = decodeServerMessage(toBytes(data));
    } catch (err) {
      this.timeline.add(SOURCE, 'error', { stage: 'decode', message: (err as Error).message });
      return;
    }
    switch (event.kind) {
      case 'register': {
        const atMs = this.timeline.add(SOURCE, 'registered', { workerId: event.workerId, agentName: this.opts.agentName, ...event.server }).atMs;
        this.registration ??= { workerId: event.workerId, server: event.server, atMs, socketOpenAtMs: this.socketOpenAtMs };
        break;
      }
      case 'availability':
        return this.onAvailability(event.offer);
      case 'assignment':
        return this.onAssignment(event.offer, event.url, event.token);
      case 'termination': {
        const atMs = this.timeline.add(SOURCE, 'termination', { jobId: event.jobId }).atMs;
        const job = this.jobs.get(event.jobId);
        if (job) {
          job.terminatedAtMs ??= atMs;
          this.emit('termination', job);
          void this.leaveJob(job.jobId);
        }
        break;
      }
      default:
        break;
    }
    this.waiter.notify();
  }

  private onAvailability(offer: JobOffer): void {
    const requestAtMs = this.timeline.add(SOURCE, 'availability-request', { ...offer }).atMs;
    const accepted = this.opts.mode !== 'reject';
    const job: JobRecord = {
      jobId: offer.jobId,
      dispatchId: offer.dispatchId,
      room: offer.room,
      agentName: offer.agentName,
      metadata: offer.metadata,
      jobType: offer.jobType,
      participantIdentity: accepted ? `livekit-doctor-probe-${offer.jobId}` : '',
      accepted,
      requestAtMs,
    };
    this.jobs.set(job.jobId, job);
    this.unread.push(job.jobId);
    const answer = () => {
      this.send(
        encodeAvailability({
          jobId: job.jobId,
          available: accepted,
          identity: job.participantIdentity,
          name: this.opts.participantName,
          attributes: { 'lk.agent.name': this.opts.agentName },
        }),
      );
      job.answeredAtMs = this.timeline.add(SOURCE, 'availability-answer', { jobId: job.jobId, available: accepted, identity: job.participantIdentity }).atMs;
      this.waiter.notify();
    };
    // The server gives up after about 3 s: answer before anything else can run, unless told to be late.
    if (this.opts.answerDelayMs > 0) this.later(answer, this.opts.answerDelayMs);
    else answer();
    this.emit('job', job);
    this.waiter.notify();
  }

  private onAssignment(offer: JobOffer, url: string | undefined, token: string): void {
    const atMs = this.timeline.add(SOURCE, 'assignment', { jobId: offer.jobId, room: offer.room, ...(url ? { url } : {}) }).atMs;
    let job = this.jobs.get(offer.jobId);
    if (!job) {
      job = { ...offer, participantIdentity: '', accepted: true, requestAtMs: atMs };
      this.jobs.set(job.jobId, job);
    }
    job.assignedAtMs = atMs;
    if (url) job.assignmentUrl = url;
    this.emit('assignment', job);
    this.waiter.notify();
    if (this.opts.mode === 'accept' && !this.stopController.signal.aborted) {
      const joining = this.join(job, url ? toWsUrl(url) : toWsUrl(this.opts.url), token).finally(() => this.joining.delete(joining));
      this.joining.add(joining);
    }
    // Observe: the job is ours but we stay out; SUCCESS (not FAILED) so that Cloud does not restart it.
    else this.send(encodeJobUpdate(job.jobId, 'success'));
  }

  private async join(job: JobRecord, url: string, token: string): Promise<void> {
    try {
      const { joinRoom } = await import('../participant.js');
      const joined = await joinRoom(url, token, { timeoutMs: this.opts.joinTimeoutMs, autoSubscribe: false, signal: this.stopController.signal });
      if (this.stopController.signal.aborted) return void (await joined.leave());
      this.rooms.set(job.jobId, joined);
      job.joinedAtMs = this.timeline.add(SOURCE, 'joined', { jobId: job.jobId, room: job.room, identity: joined.identity }).atMs;
      this.send(encodeJobUpdate(job.jobId, 'running'));
      this.emit('joined', job);
      this.waiter.notify();
      if (Number.isFinite(this.opts.stayMs)) this.later(() => void this.leaveJob(job.jobId), this.opts.stayMs);
    } catch (err) {
      job.joinError = new WorkerError('unknown', (err as Error)?.message ?? String(err)).message;
      this.timeline.add(SOURCE, 'error', { stage: 'join', jobId: job.jobId, message: job.joinError });
      this.send(encodeJobUpdate(job.jobId, 'failed', job.joinError));
      this.emit('join-failed', job);
      this.waiter.notify();
    }
  }

  private onClose(code: number, reason: string): void {
    if (this.closed) return;
    const byServer = !this.stopController.signal.aborted;
    const error = byServer ? this.lastSocketError : undefined;
    const atMs = this.timeline.add(SOURCE, 'socket-closed', { code, reason, byServer, ...(error ? { error } : {}) }).atMs;
    this.closed = { atMs, code, reason, byServer, ...(error ? { error } : {}) };
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.emit('closed', this.closed);
    this.waiter.notify();
    if (byServer) for (const id of [...this.rooms.keys()]) void this.leaveJob(id);
  }

  private watchSilence(): void {
    const check = () => {
      if (this.closed) return;
      if (performance.now() - this.lastHeardAt > SILENCE_LIMIT_MS) {
        this.timeline.add(SOURCE, 'error', { stage: 'socket', cause: 'timeout', message: `nothing from the server for ${SILENCE_LIMIT_MS / 1000} s (no pings): closing` });
        this.ws?.terminate();
      } else this.later(check, 5000);
    };
    this.later(check, 5000);
  }

  private later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref?.();
    this.timers.add(timer);
  }

  private send(bytes: Uint8Array): void {
    if (this.ws?.readyState === 1) this.ws.send(bytes);
  }
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([k, v]) => v !== undefined && k !== 'timeline')) as Partial<T>;
}

function packageVersion(): string {
  try {
    return (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
