import type { ConversationTurn } from '../livekit/turn.js';
import type { Summary } from '../bench/stats.js';
import type { SloVerdict } from '../bench/slo.js';

export const TALK_SCHEMA = 'livekit-doctor/talk@1';

/** Latencies of one turn, each from the end of the user's speech (ms). */
export const TALK_METRICS = ['thinking', 'transcript', 'reply'] as const;
export type TalkMetric = (typeof TALK_METRICS)[number];

export const METRIC_TITLES: Record<TalkMetric, string> = {
  thinking: 'end of speech → "thinking"',
  transcript: 'end of speech → transcript',
  reply: 'end of speech → first reply audio',
};

export interface TalkTurn {
  n: number;
  /** The first turn warms the pipeline up and is left out of the statistics (when there are more). */
  warmUp: boolean;
  speechStartMs: number;
  speechEndMs: number;
  /** ms after the end of speech; undefined when it did not happen within --wait. */
  latency: Partial<Record<TalkMetric, number>>;
  transcript?: string;
  replyText?: string;
  answered: boolean;
  /** Run ms of the agent's reply audio, for the picture. */
  replyAudioAtMs?: number;
  thinkingAtMs?: number;
  transcriptAtMs?: number;
}

export interface TalkReport {
  schema: typeof TALK_SCHEMA;
  tool: { name: 'livekit-doctor'; version: string };
  startedAt: string;
  /** Unix ms of the turns' clock zero (turn times are ms after it). */
  originUnixMs: number;
  url: string;
  apiKey: string;
  agentName: string;
  room: string;
  agentIdentity?: string;
  speechFile: string;
  turns: TalkTurn[];
  /** Over the turns after the warm-up. */
  stats: Partial<Record<TalkMetric, Summary>>;
  unanswered: number;
  slo?: { expression: string; verdicts: SloVerdict[] };
  cleanup: { deleted: string[]; failed: string[] };
  interrupted: boolean;
  /** 0 all turns answered (and the SLO met), 1 a turn went unanswered or the SLO was violated, 130/143 interrupted. */
  exitCode: number;
  /** Why the run ended early (the agent never joined, …). */
  error?: string;
}

export function turnOf(t: ConversationTurn, warmUp: boolean): TalkTurn {
  const after = (at?: number) => (at === undefined ? undefined : Math.round(at - t.speechEndMs));
  const latency: TalkTurn['latency'] = {};
  const thinking = after(t.thinkingAtMs);
  const transcript = after(t.transcriptAtMs);
  const reply = after(t.replyAudioAtMs);
  if (thinking !== undefined) latency.thinking = thinking;
  if (transcript !== undefined) latency.transcript = transcript;
  if (reply !== undefined) latency.reply = reply;
  return {
    n: t.n,
    warmUp,
    speechStartMs: Math.round(t.speechStartMs),
    speechEndMs: Math.round(t.speechEndMs),
    latency,
    transcript: t.transcript,
    replyText: t.replyText,
    answered: t.replyAudioAtMs !== undefined,
    replyAudioAtMs: t.replyAudioAtMs,
    thinkingAtMs: t.thinkingAtMs,
    transcriptAtMs: t.transcriptAtMs,
  };
}

export type { SloVerdict, Summary };
