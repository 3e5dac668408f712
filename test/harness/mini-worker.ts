/**
 * A minimal raw agent worker for tests: `ws` + `@livekit/protocol`, nothing from the product.
 * It registers, answers availability after a configurable delay and can report itself full.
 * Every server frame is stamped with performance.now() the moment it arrives, so that it can serve
 * as a timing reference for the doctor's own measurements.
 */
import WebSocket from 'ws';
import { AccessToken } from 'livekit-server-sdk';
import { JobType, ServerMessage, WorkerMessage, WorkerStatus } from '@livekit/protocol';

export interface MiniWorkerOptions {
  /** ws://127.0.0.1:<port> of the harness server. */
  url: string;
  apiKey: string;
  apiSecret: string;
  agentName: string;
  jobType?: JobType;
  /** Wait this long before answering an availability request (the server gives up after about 3 s). */
  answerDelayMs?: number;
  /** Answer `available: false` when false (default true). */
  available?: boolean;
  /** Participant identity to answer with (default `mini-agent-<jobId>`). */
  identity?: (jobId: string) => string;
  /** Sent right after registration, e.g. `{ status: 'full', load: 1 }` to look full. */
  update?: { status: 'available' | 'full'; load: number };
  /** Deadline for the register reply (default 10 s). */
  registerTimeoutMs?: number;
}

export interface ReceivedFrame {
  /** performance.now() when the frame arrived. */
  atMs: number;
  kind: 'register' | 'availability' | 'assignment' | 'termination' | 'pong' | 'unknown';
  jobId?: string;
  room?: string;
  /** For `register`: the worker id the server gave. */
  workerId?: string;
  /** For `assignment`: the participant token to join with (test code only; never print it). */
  token?: string;
}

export interface MiniWorker {
  workerId: string;
  agentName: string;
  frames: ReceivedFrame[];
  /** Resolves with the first frame of that kind arriving after the call (or already there), or undefined after timeoutMs. */
  waitFor(kind: ReceivedFrame['kind'], timeoutMs: number): Promise<ReceivedFrame | undefined>;
  close(): Promise<void>;
}

export async function startMiniWorker(opts: MiniWorkerOptions): Promise<MiniWorker> {
  const token = new AccessToken(opts.apiKey, opts.apiSecret, { ttl: '10m' });
  token.addGrant({ agent: true });
  const socket = new WebSocket(new URL('agent', opts.url.endsWith('/') ? opts.url : `${opts.url}/`), {
    headers: { Authorization: `Bearer ${await token.toJwt()}` },
  });
  const frames: ReceivedFrame[] = [];
  const waiters: { kind: ReceivedFrame['kind']; resolve: (f: ReceivedFrame) => void }[] = [];
  const pendingTimers = new Set<NodeJS.Timeout>();
  const send = (msg: WorkerMessage) => {
    if (socket.readyState === WebSocket.OPEN) socket.send(msg.toBinary());
  };

  socket.on('message', (data: Buffer) => {
    const atMs = performance.now();
    const msg = ServerMessage.fromBinary(new Uint8Array(data));
    const frame: ReceivedFrame = { atMs, kind: msg.message.case ?? 'unknown' };
    if (msg.message.case === 'register') {
      frame.workerId = msg.message.value.workerId;
    } else if (msg.message.case === 'availability') {
      const job = msg.message.value.job;
      frame.jobId = job?.id;
      frame.room = job?.room?.name;
      const jobId = job?.id ?? '';
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        const available = opts.available ?? true;
        send(
          new WorkerMessage({
            message: {
              case: 'availability',
              value: {
                jobId,
                available,
                participantIdentity: available ? (opts.identity ?? ((id) => `mini-agent-${id}`))(jobId) : '',
                participantName: opts.agentName,
                participantAttributes: { 'lk.agent.name': opts.agentName },
              },
            },
          }),
        );
      }, opts.answerDelayMs ?? 0);
      pendingTimers.add(timer);
    } else if (msg.message.case === 'assignment') {
      frame.jobId = msg.message.value.job?.id;
      frame.room = msg.message.value.job?.room?.name;
      frame.token = msg.message.value.token;
    } else if (msg.message.case === 'termination') {
      frame.jobId = msg.message.value.jobId;
    }
    frames.push(frame);
    for (const w of waiters.filter((w) => w.kind === frame.kind)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(frame);
    }
  });

  const waitFor = (kind: ReceivedFrame['kind'], timeoutMs: number, after = frames.length) =>
    new Promise<ReceivedFrame | undefined>((resolve) => {
      const existing = frames.slice(after).find((f) => f.kind === kind);
      if (existing) return resolve(existing);
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(waiter), 1);
        resolve(undefined);
      }, timeoutMs);
      const waiter = { kind, resolve: (f: ReceivedFrame) => (clearTimeout(timer), resolve(f)) };
      waiters.push(waiter);
    });

  const close = async () => {
    for (const t of pendingTimers) clearTimeout(t);
    if (socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.close();
    const forced = setTimeout(() => socket.terminate(), 2000);
    await closed;
    clearTimeout(forced);
  };

  let workerId = '';
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('mini worker: no WebSocket open within 5 s')), 5000);
      socket.once('open', () => (clearTimeout(timer), resolve()));
      socket.once('error', (err) => (clearTimeout(timer), reject(err)));
    });
    const registered = waitFor('register', opts.registerTimeoutMs ?? 10_000, 0);
    send(
      new WorkerMessage({
        message: { case: 'register', value: { type: opts.jobType ?? JobType.JT_ROOM, agentName: opts.agentName, version: 'mini-worker/1' } },
      }),
    );
    const reply = await registered;
    if (!reply) throw new Error('mini worker: no register reply');
    workerId = reply.workerId ?? '';
  } catch (err) {
    await close();
    throw err;
  }
  if (opts.update) {
    const status = opts.update.status === 'full' ? WorkerStatus.WS_FULL : WorkerStatus.WS_AVAILABLE;
    send(new WorkerMessage({ message: { case: 'updateWorker', value: { status, load: opts.update.load } } }));
  }
  return { workerId, agentName: opts.agentName, frames, waitFor: (k, t) => waitFor(k, t), close };
}
