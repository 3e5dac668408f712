/**
 * One turn of a conversation, as a user takes it: wait until the agent is quiet (its greeting, or a
 * short silence), speak, and watch what the agent does about it — state, transcript, reply audio.
 * Shared by the conversation checks and `talk`; times are on the caller's clock.
 */
import { SPEECH_RMS, type Conversation, type ConversationLog, type StateChange } from './conversation.js';
import type { WavAudio } from './audio.js';

/** How long the user listens before speaking, when the agent does not greet (a greeting starts within ~1.5 s of the session). */
const QUIET_BEFORE_SPEAKING_MS = 2_000;
/** Speech that starts before the user's last word is over (a late greeting) is not a reply. */
const REPLY_EARLIEST_BEFORE_END_MS = 250;
/** A greeting (or a reply) is over after this much quiet. */
const QUIET_GAP_MS = 700;
/** After the reply's first audio, how long to keep collecting its text before the turn is done. */
const REPLY_TAIL_MS = 1_500;

export interface ConversationTurn {
  n: number;
  speechStartMs: number;
  /** End of the last speech-level frame of the sample (its trailing silence is not speech). */
  speechEndMs: number;
  micTrackSid?: string;
  /** The agent spoke after the user joined and before the user spoke. */
  greetingHeard: boolean;
  statesAfterSpeech?: string[];
  thinkingAtMs?: number;
  speakingAtMs?: number;
  /** The user's speech as the agent transcribed it (a text stream on the user's track). */
  transcriptAtMs?: number;
  transcript?: string;
  replyTextAtMs?: number;
  replyText?: string;
  /** First speech-level audio of the agent after the user started speaking. */
  replyAudioAtMs?: number;
  /** Every remote participant whose audio was heard after the user started speaking. */
  answeredBy?: string[];
  observedUntilMs?: number;
}

export interface TurnOptions {
  n: number;
  agentIdentity: string;
  speech: WavAudio;
  /** Upper bound of each wait: for quiet before speaking, and for the answer after it. */
  waitMs: number;
  now: () => number;
  signal?: AbortSignal;
  /** When the user joined (a greeting is speech between this and the user's first word). */
  sinceMs: number;
  /** Wait for the reply to finish (state back to listening, or quiet) before returning: `talk` does, to take the next turn. */
  untilReplyEnds?: boolean;
}

export async function takeTurn(conv: Conversation, o: TurnOptions): Promise<ConversationTurn> {
  const log = conv.log;
  const states = () => log.states.filter((s) => s.identity === o.agentIdentity);
  const agentSpeaksNow = () => log.speech.some((r) => r.identity === o.agentIdentity && o.now() - r.lastMs < QUIET_GAP_MS);
  const busy = () => ['speaking', 'thinking'].includes(states().at(-1)?.state ?? '');
  const listenFrom = o.now();
  await conv.waitFor(() => o.now() - listenFrom >= QUIET_BEFORE_SPEAKING_MS && !agentSpeaksNow() && !busy(), o.waitMs, o.signal);
  const said = await conv.say(o.speech, o.signal);
  const speechEndMs = Math.min(said.endMs, said.startMs + lastSpeechOffsetMs(o.speech));
  const turn: ConversationTurn = {
    n: o.n,
    speechStartMs: said.startMs,
    speechEndMs,
    micTrackSid: said.trackSid,
    greetingHeard: log.speech.some((r) => r.identity === o.agentIdentity && r.startMs >= o.sinceMs && r.startMs < said.startMs),
  };
  const replyAudio = () => log.speech.find((r) => r.startMs >= speechEndMs - REPLY_EARLIEST_BEFORE_END_MS && r.identity === o.agentIdentity);
  await conv.waitFor(() => !!replyAudio(), o.waitMs, o.signal);
  const first = replyAudio();
  if (first) {
    const done = o.untilReplyEnds
      ? () => o.now() - first.startMs > 300 && !agentSpeaksNow() && !busy()
      : () => states().at(-1)?.state === 'listening' && o.now() - first.startMs > 300;
    await conv.waitFor(done, o.untilReplyEnds ? o.waitMs : REPLY_TAIL_MS, o.signal);
  }
  fillTurn(turn, log, o.agentIdentity, o.now());
  return turn;
}

/** Where in the sample the last speech-level 10 ms frame ends: a WAV's trailing silence is not speech. */
export function lastSpeechOffsetMs(wav: WavAudio): number {
  const perFrame = Math.round(wav.sampleRate / 100);
  let last = 0;
  for (let at = 0; at < wav.frames; at += perFrame) {
    let sum = 0;
    const count = Math.min(perFrame, wav.frames - at);
    for (let i = 0; i < count; i++) {
      const s = wav.samples[(at + i) * wav.channels]! / 32768;
      sum += s * s;
    }
    if (Math.sqrt(sum / count) >= SPEECH_RMS) last = at + count;
  }
  return Math.round((last / wav.sampleRate) * 1000);
}

/** What the agent did after the user started speaking, from the log. Pure: unit-tested on plain data. */
export function fillTurn(turn: ConversationTurn, log: ConversationLog, agentIdentity: string, nowMs: number): void {
  const since = turn.speechStartMs;
  const agentStates: StateChange[] = log.states.filter((s) => s.identity === agentIdentity && s.atMs >= since);
  turn.statesAfterSpeech = agentStates.map((s) => s.state);
  turn.thinkingAtMs = agentStates.find((s) => s.state === 'thinking')?.atMs;
  turn.speakingAtMs = agentStates.find((s) => s.state === 'speaking')?.atMs;
  const texts = log.transcripts.filter((t) => t.atMs >= since);
  const heard = texts.filter((t) => turn.micTrackSid !== undefined && t.trackId === turn.micTrackSid);
  turn.transcriptAtMs = heard[0]?.atMs;
  turn.transcript = (heard.filter((t) => t.final).at(-1) ?? heard.at(-1))?.text.trim() || undefined;
  // The agent's own words come as text streams on its own track (or on none), never on the user's.
  const replies = texts.filter((t) => t.fromIdentity === agentIdentity && !heard.includes(t));
  turn.replyTextAtMs = replies[0]?.atMs;
  turn.replyText = lastPerSegment(replies) || undefined;
  const speech = log.speech.filter((r) => r.startMs >= turn.speechEndMs - REPLY_EARLIEST_BEFORE_END_MS);
  turn.replyAudioAtMs = speech.find((r) => r.identity === agentIdentity)?.startMs;
  turn.answeredBy = [...new Set(speech.map((r) => r.identity))];
  turn.observedUntilMs = nowMs;
}

/** Interim and final streams of one segment carry the same words: keep the last of each segment. */
function lastPerSegment(texts: ConversationLog['transcripts']): string {
  const bySegment = new Map<string, ConversationLog['transcripts'][number]>();
  texts.forEach((t, i) => bySegment.set(t.segmentId ?? `#${i}`, t));
  return [...bySegment.values()].map((t) => (t.complete ? t.text.trim() : `${t.text.trim()}…`)).filter((t) => t && t !== '…').join(' ');
}
