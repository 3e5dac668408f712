import type { FindingRule } from './analyze.js';
import { evidenceFindingRules } from './evidence.js';
import { agentFindingRules } from './agent.js';
import { tokenFindingRules } from './token.js';
import { envFindingRules } from './env.js';
import { roomFindingRules } from './room.js';

/**
 * Every finding rule beyond the path rules, in ranking order: direct evidence (the server's log, the
 * agent's endpoint) before what the room and timing suggest, then what the app's side shows.
 */
export const FINDING_RULES: FindingRule[] = [...evidenceFindingRules, ...agentFindingRules, ...tokenFindingRules, ...envFindingRules, ...roomFindingRules];
