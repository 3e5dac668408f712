/**
 * Joining rooms with @livekit/rtc-node, loaded lazily (76-140 ms and a native binary), and hearing
 * or playing audio. `Room.connect` has no deadline of its own (a silent port takes ~16 s): every
 * call here is raced against one.
 */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type * as RtcModule from '@livekit/rtc-node';
import { redact } from '../core/redact.js';
import { frameRms, parseWav, toDbfs } from './audio.js';

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

export async function joinRoom(
  url: string,
  token: string,
  opts: { timeoutMs: number; autoSubscribe?: boolean; signal?: AbortSignal },
): Promise<JoinedRoom> {
  const { Room } = loadRtc();
  const room = new Room();
  try {
    await race(room.connect(url, token, { autoSubscribe: opts.autoSubscribe ?? false, dynacast: false }), opts.timeoutMs, opts.signal, 'joining the room');
  } catch (err) {
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

export interface AudioMeasurement {
  /** When the first frame at speech level arrived (ms since the call, or on `clock`). */
  firstAudioAtMs?: number;
  trackSid?: string;
  /** From whom the track came. */
  fromIdentity?: string;
  /** Highest per-frame RMS, 0…1 of full scale. */
  maxRms: number;
  dbfs: number;
  /** 10 ms frames read. */
  frames: number;
  speechFrames: number;
}

/**
 * Subscribes to a remote participant's audio (the first audio track of `fromIdentity`, or of anyone)
 * and measures its level per 10 ms frame until speech is heard (`stopOnSpeech`) or the time is up.
 */
export async function measureAudio(
  room: RtcRoom,
  opts: { fromIdentity?: string; minRms: number; timeoutMs: number; signal?: AbortSignal; now?: () => number; stopOnSpeech?: boolean },
): Promise<AudioMeasurement> {
  const { AudioStream, RoomEvent, TrackKind } = loadRtc();
  const started = performance.now();
  const now = opts.now ?? (() => Math.round(performance.now() - started));
  const deadline = started + opts.timeoutMs;
  const result: AudioMeasurement = { maxRms: 0, dbfs: toDbfs(0), frames: 0, speechFrames: 0 };
  const wanted = (identity: string) => !opts.fromIdentity || identity === opts.fromIdentity;

  const track = await new Promise<RtcModule.RemoteTrack | undefined>((resolve) => {
    const finish = (t: RtcModule.RemoteTrack | undefined) => {
      clearTimeout(timer);
      room.off(RoomEvent.TrackSubscribed, onSubscribed);
      room.off(RoomEvent.TrackPublished, onPublished);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(t);
    };
    const onSubscribed = (t: RtcModule.RemoteTrack, pub: RtcModule.RemoteTrackPublication, participant: RtcModule.RemoteParticipant) => {
      if (t.kind === TrackKind.KIND_AUDIO && wanted(participant.identity)) {
        result.trackSid = pub.sid;
        result.fromIdentity = participant.identity;
        finish(t);
      }
    };
    const onPublished = (pub: RtcModule.RemoteTrackPublication, participant: RtcModule.RemoteParticipant) => {
      if (pub.kind === TrackKind.KIND_AUDIO && wanted(participant.identity)) pub.setSubscribed(true);
    };
    const onAbort = () => finish(undefined);
    const timer = setTimeout(() => finish(undefined), opts.timeoutMs);
    room.on(RoomEvent.TrackSubscribed, onSubscribed);
    room.on(RoomEvent.TrackPublished, onPublished);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    for (const participant of room.remoteParticipants.values()) {
      if (!wanted(participant.identity)) continue;
      for (const pub of participant.trackPublications.values()) {
        if (pub.kind !== TrackKind.KIND_AUDIO) continue;
        if (pub.track && pub.subscribed) return onSubscribed(pub.track as RtcModule.RemoteTrack, pub, participant);
        pub.setSubscribed(true);
      }
    }
  });
  if (!track) return result;

  const stream = new AudioStream(track, { sampleRate: 16000, numChannels: 1 });
  const reader = stream.getReader();
  try {
    while (!opts.signal?.aborted) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      let timer: NodeJS.Timeout | undefined;
      const timeUp = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), left)));
      const next = await Promise.race([reader.read(), timeUp]).finally(() => clearTimeout(timer));
      if (!next || next.done) break;
      const rms = frameRms(next.value.data);
      result.frames++;
      result.maxRms = Math.max(result.maxRms, rms);
      if (rms >= opts.minRms) {
        result.speechFrames++;
        result.firstAudioAtMs ??= now();
        if (opts.stopOnSpeech !== false && result.speechFrames >= 5) break;
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  result.dbfs = toDbfs(result.maxRms);
  return result;
}

/** Plays a 16-bit PCM WAV into the room as a microphone track, then unpublishes it. Returns its duration. */
export async function publishWav(room: RtcRoom, path: string, signal?: AbortSignal): Promise<{ durationMs: number; trackSid?: string }> {
  const { AudioSource, AudioFrame, LocalAudioTrack, TrackPublishOptions, TrackSource } = loadRtc();
  const wav = parseWav(await readFile(path));
  const source = new AudioSource(wav.sampleRate, wav.channels);
  const track = LocalAudioTrack.createAudioTrack('livekit-doctor-voice', source);
  const participant = room.localParticipant;
  if (!participant) throw new JoinError('connect-failed', 'cannot publish: not connected to the room');
  const publication = await participant.publishTrack(track, new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }));
  try {
    const perFrame = Math.round(wav.sampleRate / 100); // 10 ms
    for (let at = 0; at < wav.frames && !signal?.aborted; at += perFrame) {
      const count = Math.min(perFrame, wav.frames - at);
      const data = wav.samples.slice(at * wav.channels, (at + count) * wav.channels);
      await source.captureFrame(new AudioFrame(data, wav.sampleRate, wav.channels, count));
    }
    if (!signal?.aborted) await race(source.waitForPlayout(), wav.durationMs + 5000, signal, 'playing the WAV file').catch(() => {});
  } finally {
    if (publication.sid) await participant.unpublishTrack(publication.sid).catch(() => {});
    await track.close().catch(() => {});
    await source.close().catch(() => {});
  }
  return { durationMs: wav.durationMs, ...(publication.sid ? { trackSid: publication.sid } : {}) };
}
