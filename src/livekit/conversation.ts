/**
 * The doctor as a user in a conversation with an agent: one rtc-node participant that publishes a
 * microphone track, speaks WAV files into it, and records what the agent shows while it does — its
 * `lk.agent.state` attribute, the `lk.transcription` text streams, whether it subscribed to the doctor's
 * track, and the level of its audio frame by frame. Everything is timed on the caller's clock.
 */
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type * as RtcModule from '@livekit/rtc-node';
import { frameRms, parseWav, type WavAudio as Wav } from './audio.js';
import { joinRoom, loadRtc, type JoinedRoom } from './participant.js';

/** The speech sample shipped with the package: "Hello, can you hear me? This is a test." (2.96 s). */
export const DEFAULT_SPEECH = fileURLToPath(new URL('../../assets/speech-sample.wav', import.meta.url));
export const AGENT_STATE_ATTRIBUTE = 'lk.agent.state';
export const TRANSCRIPTION_TOPIC = 'lk.transcription';
/** About -40 dBFS: well above a silent track's noise floor, well below speech. */
export const SPEECH_RMS = 0.01;
/** A run of quiet frames this long ends a stretch of speech. */
const SPEECH_GAP_MS = 300;
/** Fewer speech-level frames than this (10 ms each) is a click, not speech. */
const MIN_SPEECH_FRAMES = 5;

export interface StateChange {
  identity: string;
  state: string;
  atMs: number;
}

export interface TranscriptSegment {
  /** Who published the stream (the agent, for the user's transcript and for its own reply). */
  fromIdentity: string;
  /** `lk.transcribed_track_id`: the track the text belongs to. */
  trackId?: string;
  final: boolean;
  segmentId?: string;
  text: string;
  /** When the stream opened. */
  atMs: number;
  /** The stream closed (a reply's text is streamed as it is spoken). */
  complete: boolean;
}

export interface SpeechRun {
  identity: string;
  trackSid: string;
  startMs: number;
  /** Time of the last speech-level frame so far. */
  lastMs: number;
  frames: number;
}

export interface AudioTrackSeen {
  identity: string;
  trackSid: string;
  subscribedAtMs: number;
  frames: number;
  maxRms: number;
}

export interface RemotePresence {
  identity: string;
  kind: 'agent' | 'other';
  agentName?: string;
  joinedAtMs: number;
  leftAtMs?: number;
}

export interface Utterance {
  trackSid?: string;
  startMs: number;
  endMs: number;
}

export interface ConversationOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  now: () => number;
}

/** What happened in the room, for the checks to read; mutated as events arrive. */
export interface ConversationLog {
  states: StateChange[];
  transcripts: TranscriptSegment[];
  speech: SpeechRun[];
  audioTracks: AudioTrackSeen[];
  participants: RemotePresence[];
  /** When the doctor's microphone track was subscribed by someone (the agent, in the doctor's room). */
  micSubscribedAtMs?: number;
  micTrackSid?: string;
}

export class Conversation {
  readonly log: ConversationLog = { states: [], transcripts: [], speech: [], audioTracks: [], participants: [] };
  private readonly changes = new EventEmitter();
  private source?: RtcModule.AudioSource;
  private sourceRate = 0;
  private readers: { cancel(): Promise<void> }[] = [];
  private closed = false;

  private constructor(
    private readonly joined: JoinedRoom,
    private readonly now: () => number,
  ) {
    this.changes.setMaxListeners(100);
  }

  /** Joins as a user and starts recording everything the other participants show. */
  static async join(url: string, token: string, opts: ConversationOptions): Promise<Conversation> {
    const joined = await joinRoom(url, token, { timeoutMs: opts.timeoutMs, autoSubscribe: false, signal: opts.signal });
    const conversation = new Conversation(joined, opts.now);
    conversation.watch();
    return conversation;
  }

  get identity(): string {
    return this.joined.identity;
  }

  /**
   * Resolves true once `condition` holds, false at the deadline or on abort. It is checked on every event
   * and every 50 ms, so conditions on the passing of time (a stretch of quiet) hold without an event.
   */
  waitFor(condition: () => boolean, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (value: boolean) => {
        clearTimeout(timer);
        clearInterval(tick);
        this.changes.off('change', onChange);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onChange = () => condition() && finish(true);
      const onAbort = () => finish(false);
      const timer = setTimeout(() => finish(condition()), Math.max(0, timeoutMs));
      const tick = setInterval(onChange, 50);
      this.changes.on('change', onChange);
      if (signal?.aborted) return finish(false);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Speaks a WAV into the doctor's microphone track (published on first use, kept until leave). */
  async say(wav: Wav, signal?: AbortSignal): Promise<Utterance> {
    const { AudioFrame } = loadRtc();
    const source = await this.microphone(wav.sampleRate);
    const perFrame = Math.round(wav.sampleRate / 100); // 10 ms
    const startMs = this.now();
    for (let at = 0; at < wav.frames && !signal?.aborted && !this.closed; at += perFrame) {
      const count = Math.min(perFrame, wav.frames - at);
      const mono = new Int16Array(count);
      for (let i = 0; i < count; i++) mono[i] = wav.samples[(at + i) * wav.channels]!;
      await source.captureFrame(new AudioFrame(mono, wav.sampleRate, 1, count));
    }
    // captureFrame returns when a frame is queued; the last one is heard once the queue has played out.
    if (!signal?.aborted && !this.closed) await Promise.race([source.waitForPlayout(), delay(wav.durationMs + 2_000)]).catch(() => {});
    return { trackSid: this.log.micTrackSid, startMs, endMs: this.now() };
  }

  async leave(): Promise<void> {
    this.closed = true;
    await Promise.all(this.readers.map((r) => r.cancel().catch(() => {})));
    await this.source?.close().catch(() => {});
    await this.joined.leave();
  }

  private async microphone(sampleRate: number): Promise<RtcModule.AudioSource> {
    if (this.source && this.sourceRate === sampleRate) return this.source;
    const { AudioSource, LocalAudioTrack, TrackPublishOptions, TrackSource } = loadRtc();
    const participant = this.joined.room.localParticipant;
    if (!participant) throw new Error('cannot publish: not connected to the room');
    const source = new AudioSource(sampleRate, 1);
    const track = LocalAudioTrack.createAudioTrack('livekit-doctor-microphone', source);
    const publication = await participant.publishTrack(track, new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }));
    this.source = source;
    this.sourceRate = sampleRate;
    this.log.micTrackSid = publication.sid;
    this.changed();
    return source;
  }

  private changed(): void {
    this.changes.emit('change');
  }

  private watch(): void {
    const { RoomEvent, TrackKind, ParticipantKind } = loadRtc();
    const room = this.joined.room;
    const isAgent = (p: RtcModule.Participant) => p.kind === ParticipantKind.AGENT;
    const noteState = (p: RtcModule.Participant) => {
      const state = p.attributes[AGENT_STATE_ATTRIBUTE];
      const last = [...this.log.states].reverse().find((s) => s.identity === p.identity);
      if (state !== undefined && last?.state !== state) this.log.states.push({ identity: p.identity, state, atMs: this.now() });
    };
    const arrived = (p: RtcModule.RemoteParticipant) => {
      const known = this.log.participants.find((x) => x.identity === p.identity && x.leftAtMs === undefined);
      if (!known) this.log.participants.push({ identity: p.identity, kind: isAgent(p) ? 'agent' : 'other', agentName: p.attributes['lk.agent.name'], joinedAtMs: this.now() });
      noteState(p);
      for (const pub of p.trackPublications.values()) if (pub.kind === TrackKind.KIND_AUDIO) pub.setSubscribed(true);
      this.changed();
    };
    room.on(RoomEvent.ParticipantConnected, arrived);
    room.on(RoomEvent.ParticipantDisconnected, (p: RtcModule.RemoteParticipant) => {
      const known = this.log.participants.find((x) => x.identity === p.identity && x.leftAtMs === undefined);
      if (known) known.leftAtMs = this.now();
      this.changed();
    });
    room.on(RoomEvent.ParticipantAttributesChanged, (_changed: Record<string, string>, p: RtcModule.Participant) => {
      if (p.identity === this.identity) return;
      const known = this.log.participants.find((x) => x.identity === p.identity && x.leftAtMs === undefined);
      if (known && !known.agentName && p.attributes['lk.agent.name']) known.agentName = p.attributes['lk.agent.name'];
      noteState(p);
      this.changed();
    });
    room.on(RoomEvent.TrackPublished, (pub: RtcModule.RemoteTrackPublication) => {
      if (pub.kind === TrackKind.KIND_AUDIO) pub.setSubscribed(true);
    });
    room.on(RoomEvent.TrackSubscribed, (track: RtcModule.RemoteTrack, pub: RtcModule.RemoteTrackPublication, p: RtcModule.RemoteParticipant) => {
      if (track.kind === TrackKind.KIND_AUDIO) this.listen(track, pub.sid ?? '', p.identity);
    });
    room.on(RoomEvent.LocalTrackSubscribed, () => {
      this.log.micSubscribedAtMs ??= this.now();
      this.changed();
    });
    room.registerTextStreamHandler(TRANSCRIPTION_TOPIC, (reader, { identity }) => {
      const attributes = reader.info.attributes ?? {};
      const segment: TranscriptSegment = {
        fromIdentity: identity,
        trackId: attributes['lk.transcribed_track_id'],
        final: attributes['lk.transcription_final'] === 'true',
        segmentId: attributes['lk.segment_id'],
        text: '',
        atMs: this.now(),
        complete: false,
      };
      this.log.transcripts.push(segment);
      this.changed();
      void (async () => {
        try {
          for await (const chunk of reader) {
            segment.text += chunk;
            this.changed();
          }
          segment.complete = true;
        } catch {
          // a stream cut off by a leave keeps the text read so far
        }
      })();
    });
    for (const p of room.remoteParticipants.values()) arrived(p);
  }

  private listen(track: RtcModule.RemoteTrack, trackSid: string, identity: string): void {
    const { AudioStream } = loadRtc();
    const seen: AudioTrackSeen = { identity, trackSid, subscribedAtMs: this.now(), frames: 0, maxRms: 0 };
    this.log.audioTracks.push(seen);
    this.changed();
    const reader = new AudioStream(track, { sampleRate: 16000, numChannels: 1 }).getReader();
    this.readers.push(reader);
    let run: SpeechRun | undefined;
    let runFrames = 0;
    void (async () => {
      try {
        while (!this.closed) {
          const next = await reader.read();
          if (next.done) break;
          const at = this.now();
          const rms = frameRms(next.value.data);
          seen.frames++;
          seen.maxRms = Math.max(seen.maxRms, rms);
          if (rms < SPEECH_RMS) {
            if (run && at - run.lastMs > SPEECH_GAP_MS) run = undefined;
            continue;
          }
          if (!run) {
            run = { identity, trackSid, startMs: at, lastMs: at, frames: 0 };
            runFrames = 0;
          }
          run.lastMs = at;
          run.frames++;
          runFrames++;
          // A run counts as speech once it is long enough; it is logged then, with its true start.
          if (runFrames === MIN_SPEECH_FRAMES) this.log.speech.push(run);
          if (runFrames >= MIN_SPEECH_FRAMES) this.changed();
        }
      } catch {
        // the track ended with the participant: what was heard stays in the log
      }
    })();
  }
}

/** Reads a speech WAV once (16-bit PCM), for `say`. */
export async function loadSpeech(path: string): Promise<Wav> {
  return parseWav(await readFile(path));
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
