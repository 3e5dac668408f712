import { summarize } from '../bench/stats.js';
import type { ConversationTurn } from '../livekit/turn.js';
import { evaluateTalkSlo, type TalkSloTerm } from './slo.js';
import { TALK_METRICS, TALK_SCHEMA, turnOf, type TalkReport } from './types.js';

export interface TalkReportInput {
  version: string;
  startedAt: Date;
  originUnixMs: number;
  url: string;
  apiKey: string;
  agentName: string;
  room: string;
  agentIdentity?: string;
  speechFile: string;
  turns: ConversationTurn[];
  slo?: { expression: string; terms: TalkSloTerm[] };
  cleanup: TalkReport['cleanup'];
  interrupted: boolean;
  interruptCode?: number;
  error?: string;
}

/** Pure: the turns become statistics, the SLO a verdict, and both an exit code. */
export function buildTalkReport(input: TalkReportInput): TalkReport {
  const turns = input.turns.map((t, i) => turnOf(t, i === 0 && input.turns.length > 1));
  const counted = turns.filter((t) => !t.warmUp);
  const stats: TalkReport['stats'] = {};
  for (const metric of TALK_METRICS) {
    const summary = summarize(counted.map((t) => t.latency[metric]).filter((v): v is number => v !== undefined));
    if (summary) stats[metric] = summary;
  }
  const unanswered = turns.filter((t) => !t.answered).length;
  const verdicts = input.slo ? evaluateTalkSlo(input.slo.terms, stats) : undefined;
  const failed = !!input.error || unanswered > 0 || turns.length === 0 || !!verdicts?.some((v) => !v.ok);
  return {
    schema: TALK_SCHEMA,
    tool: { name: 'livekit-doctor', version: input.version },
    startedAt: input.startedAt.toISOString(),
    originUnixMs: input.originUnixMs,
    url: input.url,
    apiKey: input.apiKey,
    agentName: input.agentName,
    room: input.room,
    agentIdentity: input.agentIdentity,
    speechFile: input.speechFile,
    turns,
    stats,
    unanswered,
    ...(input.slo && verdicts ? { slo: { expression: input.slo.expression, verdicts } } : {}),
    cleanup: input.cleanup,
    interrupted: input.interrupted,
    exitCode: input.interrupted ? (input.interruptCode ?? 130) : failed ? 1 : 0,
    ...(input.error ? { error: input.error } : {}),
  };
}
