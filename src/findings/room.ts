import type { Finding } from '../core/model.js';
import type { FindingRule } from './inputs.js';
import type { RoomCause, RoomProblem } from '../checks/support/room-problems.js';

const TITLES: Record<RoomCause, [string, Finding['likelihood']]> = {
  'room-existed-before-token-dispatch': ["Your room already existed when the token's agent dispatch was expected, so the server ignored it", 'high'],
  'dispatch-other-room': ['The agent was dispatched to a different room than the one the user is in', 'high'],
  'token-other-room': ['The token joins a different room than the one named', 'high'],
  'room-recreated-after-dispatch': ['Your room was recreated after the dispatch: the dispatch died with the earlier room', 'high'],
  'dispatched-agent-missing': ['The agent in your room is not the one expected', 'medium'],
  'duplicate-agents': ['Your room has the same agent more than once: it was dispatched twice (token and API, or on every token request)', 'high'],
  'user-microphone-missing': ["The user in your room publishes no microphone: the agent cannot hear what is never sent", 'high'],
  'user-microphone-muted': ["The user's microphone in your room is muted: the agent receives silence", 'high'],
};

/** room.inspect can find several problems at once: one finding each. */
const rules: FindingRule[] = (Object.keys(TITLES) as RoomCause[]).map((cause) => (r) => {
  const c = r.get('room.inspect');
  const problems = (c?.evidence?.problems ?? []) as RoomProblem[];
  const p = problems.find((q) => q.cause === cause);
  if (!c || !p) return undefined;
  // token.agent-joined already tells this story, with the join as evidence.
  if (cause === 'room-existed-before-token-dispatch' && r.get('token.agent-joined')?.cause === 'token-dispatch-ignored-room-existed') return undefined;
  const [title, likelihood] = TITLES[cause];
  return { cause, title, likelihood, evidence: [p.message, ...(c.details ?? []).slice(0, 5)], fix: p.fix, fromChecks: ['room.inspect'] };
});

export const roomFindingRules: FindingRule[] = rules;
