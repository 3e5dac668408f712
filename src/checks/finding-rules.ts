import type { FindingRule } from './findings.js';
import { evidenceFindingRules } from './evidence-findings.js';
import { agentFindingRules } from './agent-findings.js';
import { tokenFindingRules } from './token-findings.js';
import { envFindingRules } from './env-findings.js';
import { roomFindingRules } from './room-findings.js';

/**
 * Every finding rule beyond the path rules, in ranking order: direct evidence (the server's log, the
 * agent's endpoint) before what the room and timing suggest, then what the app's side shows.
 */
export const FINDING_RULES: FindingRule[] = [...evidenceFindingRules, ...agentFindingRules, ...tokenFindingRules, ...envFindingRules, ...roomFindingRules];
