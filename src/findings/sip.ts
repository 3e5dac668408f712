import type { Finding, Remedy } from '../core/model.js';
import { evidenceOf, fixOf, type FindingRule } from './inputs.js';

interface Problem {
  cause: string;
  severity: 'fail' | 'warn';
  message: string;
  fix: Remedy;
  differences?: string[];
}

const RULE_TITLES: Record<string, [string, Finding['likelihood']]> = {
  'sip-rule-no-agent': ['A SIP dispatch rule dispatches no agent while your agent has a name: calls get an empty room', 'high'],
  'sip-rule-agent-name-differs': ["A SIP dispatch rule names your agent with a different spelling: the server compares names byte for byte", 'high'],
  'sip-rule-other-agent': ['A SIP dispatch rule dispatches another agent than yours', 'low'],
  'sip-no-dispatch-rules': ['No SIP dispatch rule exists: inbound calls are rejected', 'medium'],
  'sip-rule-unknown-trunk': ["A SIP dispatch rule's trunk list names no existing inbound trunk: it matches no call from it", 'high'],
};

/** One finding per cause a SIP check found, however many rules share it; the rules are the evidence. */
const problemRules = (checkId: string): FindingRule[] =>
  Object.keys(RULE_TITLES).map((cause) => (r) => {
    const c = r.get(checkId);
    if (!c || (c.status !== 'fail' && c.status !== 'warn')) return undefined;
    const mine = ((c.evidence?.problems ?? []) as Problem[]).filter((p) => p.cause === cause);
    if (!mine.length) return undefined;
    const [title, likelihood] = RULE_TITLES[cause]!;
    return { cause, title, likelihood, evidence: [...mine.map((p) => p.message), ...(mine[0]!.differences ?? []).slice(1, 4)], fix: mine[0]!.fix, fromChecks: [checkId] };
  });

export const sipFindingRules: FindingRule[] = [
  (r) => {
    const c = r.get('sip.listed');
    if (c?.status !== 'fail' || c.cause !== 'sip-needs-redis') return undefined;
    return { cause: 'sip-needs-redis', title: 'SIP is off on this server: livekit-server runs without Redis, which SIP needs', likelihood: 'high', evidence: evidenceOf(r, 'sip.listed'), fix: fixOf(c, 'add Redis'), fromChecks: ['sip.listed'] };
  },
  ...problemRules('sip.rule-agents'),
  ...problemRules('sip.rule-trunks'),
  (r) => {
    const c = r.get('sip.agents-served');
    if (c?.status !== 'fail' || c.cause !== 'sip-rule-agent-unserved') return undefined;
    return {
      cause: 'sip-rule-agent-unserved',
      title: 'A SIP dispatch rule names an agent no worker serves: callers wait in a room the agent never joins',
      likelihood: 'high',
      evidence: [...evidenceOf(r, 'sip.agents-served', 'probe.job-received', 'agent.job-taken'), ...(c.details ?? []).slice(0, 5)],
      fix: fixOf(c, 'start the agent'),
      fromChecks: ['sip.agents-served'],
    };
  },
];
