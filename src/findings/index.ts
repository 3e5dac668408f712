import type { FindingRule } from './inputs.js';
import { pathFindingRules } from './path.js';
import { evidenceFindingRules } from './evidence.js';
import { agentFindingRules } from './agent.js';
import { conversationFindingRules } from './conversation.js';
import { tokenFindingRules } from './token.js';
import { envFindingRules } from './env.js';
import { roomFindingRules } from './room.js';
import { clusterFindingRules } from './cluster.js';
import { sipFindingRules } from './sip.js';

/**
 * Every finding rule, in ranking order: the path's own steps, then direct evidence (the server's log,
 * the agent's endpoint) before what the room and timing suggest, then what the app's side shows.
 * A new rule is one entry in its area's file; a new area is one line here.
 */
export const FINDING_RULES: FindingRule[] = [...pathFindingRules, ...evidenceFindingRules, ...agentFindingRules, ...conversationFindingRules, ...tokenFindingRules, ...envFindingRules, ...roomFindingRules, ...clusterFindingRules, ...sipFindingRules];
