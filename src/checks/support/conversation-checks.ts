import type { CheckContext, CheckOptions } from '../check.js';
import type { ConversationTurn } from '../facts.js';

/** The conversation checks run with `check --agent NAME --voice`. */
export const voiceConversation = (o: CheckOptions) => o.agentName !== undefined && !!o.voice;

/** A conversation phase waits for quiet, speaks (a few seconds), then waits up to --wait for the answer; twice with a rejoin. */
export const conversationDeadline = (ctx: CheckContext) => 2 * (2 * ctx.options.waitMs + ctx.settings.timeoutMs) + 40_000;

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Every agent participant the user saw that carries the dispatched agent's name (two: dispatched twice). */
export function agentsNamed(log: { participants: { identity: string; kind: string; agentName?: string }[] }, agentName: string): string[] {
  return [...new Set(log.participants.filter((p) => p.kind === 'agent' && p.agentName === agentName).map((p) => p.identity))];
}

/** How the turn went, in one line, for evidence. */
export function turnEvidence(turn: ConversationTurn): Record<string, unknown> {
  const after = (at?: number) => (at === undefined ? undefined : Math.round(at - turn.speechEndMs));
  return {
    turn: turn.n,
    states: turn.statesAfterSpeech,
    thinkingAfterSpeechMs: after(turn.thinkingAtMs),
    transcriptAfterSpeechMs: after(turn.transcriptAtMs),
    transcript: turn.transcript,
    replyAudioAfterSpeechMs: after(turn.replyAudioAtMs),
    replyText: turn.replyText,
    answeredBy: turn.answeredBy,
  };
}
