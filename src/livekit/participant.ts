/**
 * Joining rooms with @livekit/rtc-node, loaded lazily (76-140 ms and a native binary). `Room.connect` has no
 * deadline of its own (a silent port takes ~16 s): every join here is raced against one. Hearing and speaking
 * are conversation.ts's.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as RtcModule from '@livekit/rtc-node';
import { redact } from '../core/redact.js';

type Rtc = typeof RtcModule;
export type RtcRoom = RtcModule.Room;

let rtc: Rtc | undefined;

export class JoinError extends Error {
  constructor(
    readonly reason: 'timeout' | 'connect-failed' | 'rtc-unavailable' | 'aborted',
    message: string,
  ) {
    super(redact(message.replace(/\s+/g, ' ').trim()));
    this.name = 'JoinError';
  }
}

/** Loads rtc-node once. require() (not import()) so a missing native binary throws catchably on Node 20. */
export function loadRtc(): Rtc {
  if (rtc) return rtc;
  const require = createRequire(import.meta.url);
  // rtc-node's logger writes JSON lines to stdout, at debug level unless NODE_ENV is production when
  // it loads (vitest and some shells set other values); stdout must stay clean for --json.
  const previousEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    rtc = require('@livekit/rtc-node') as Rtc;
  } catch (err) {
    throw new JoinError('rtc-unavailable', `@livekit/rtc-node cannot load on this platform (${process.platform}-${process.arch}): ${(err as Error).message.split('\n')[0]}`);
  } finally {
    if (previousEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = previousEnv;
  }
  quietRtcLogger(require);
  return rtc;
}

/** Even its warnings go to stdout; the logger is not exported, so reach it by file and silence it (best effort). */
function quietRtcLogger(require: NodeJS.Require): void {
  try {
    const entry = require.resolve('@livekit/rtc-node');
    const { log } = require(join(dirname(entry), 'log.cjs')) as { log?: { level: string } };
    if (log) log.level = 'silent';
  } catch {
    // a layout change in rtc-node: its warnings may then reach stdout, nothing worse
  }
}

/** Releases rtc-node's native side; without it the process never exits. Safe when never loaded. */
export async function disposeRtc(): Promise<void> {
  if (!rtc) return;
  try {
    await rtc.dispose();
  } catch {
    // disposing twice or after a crash of the native side is not worth failing a run for
  }
}

export interface JoinedRoom {
  room: RtcRoom;
  identity: string;
  /** Disconnects (bounded to 5 s); idempotent, never throws. */
  leave(): Promise<void>;
}

function race<T>(work: Promise<T>, ms: number, signal: AbortSignal | undefined, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => done(() => reject(new JoinError('timeout', `${what} did not finish within ${ms} ms`))), ms);
    const onAbort = () => done(() => reject(new JoinError('aborted', `${what} was interrupted`)));
    let settled = false;
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => done(() => resolve(v)),
      (e) => done(() => reject(e)),
    );
  });
}

async function disconnectQuietly(room: RtcRoom): Promise<void> {
  try {
    await race(room.disconnect(), 5000, undefined, 'leaving the room');
  } catch {
    // a room that cannot even disconnect is released by dispose()
  }
}

/** How long a cancelled join may take to settle before it is disconnected anyway. */
const JOIN_SETTLE_MS = 5_000;

export async function joinRoom(
  url: string,
  token: string,
  opts: { timeoutMs: number; autoSubscribe?: boolean; signal?: AbortSignal },
): Promise<JoinedRoom> {
  const { Room } = loadRtc();
  const room = new Room();
  const connecting = room.connect(url, token, { autoSubscribe: opts.autoSubscribe ?? false, dynacast: false });
  try {
    await race(connecting, opts.timeoutMs, opts.signal, 'joining the room');
  } catch (err) {
    // Cancelled or timed out: rtc-node's connect goes on natively and may still reach the server (and re-create
    // a room cleanup is about to delete). Let it settle, bounded, then disconnect, so that the join is over
    // for good when this rejects.
    await race(connecting.then(() => undefined, () => undefined), JOIN_SETTLE_MS, undefined, 'a cancelled join').catch(() => {});
    await disconnectQuietly(room);
    if (err instanceof JoinError) throw err;
    throw new JoinError('connect-failed', `joining the room failed: ${(err as Error).message ?? String(err)}`);
  }
  let left: Promise<void> | undefined;
  return {
    room,
    identity: room.localParticipant?.identity ?? '',
    leave: () => (left ??= disconnectQuietly(room)),
  };
}
