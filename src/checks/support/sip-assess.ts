import { compareAgentNames, visible } from '../../evidence/name-diff.js';
import type { Remedy } from '../../core/model.js';
import type { SipDispatchRuleView, SipInboundTrunkView } from '../../livekit/sip-api.js';

export type SipCause =
  | 'sip-no-dispatch-rules'
  | 'sip-rule-no-agent'
  | 'sip-rule-agent-name-differs'
  | 'sip-rule-other-agent'
  | 'sip-rule-unknown-trunk';

export interface SipProblem {
  cause: SipCause;
  severity: 'fail' | 'warn';
  /** The rules it is about (ids). */
  rules: string[];
  message: string;
  fix: Remedy;
  /** For name differences: each difference in words. */
  differences?: string[];
}

/** `SDR_abc "support line"`. */
export function ruleLabel(rule: Pick<SipDispatchRuleView, 'id' | 'name'>): string {
  return rule.name ? `${rule.id} "${rule.name}"` : rule.id;
}

/** One line per rule for the checklist: what a call matched by it gets. */
export function ruleLine(rule: SipDispatchRuleView): string {
  const where = rule.kind === 'direct' ? `room "${rule.room}"` : rule.kind === 'unknown' ? 'an unknown rule type' : `a new room "${rule.room}…" per ${rule.kind === 'individual' ? 'caller' : 'called number'}`;
  const trunks = rule.trunkIds.length ? `trunks ${rule.trunkIds.join(', ')}` : 'every trunk';
  const agents = rule.agents.length ? `dispatches ${rule.agents.map((a) => JSON.stringify(a.agentName)).join(', ')}` : rule.roomPreset ? `room preset "${rule.roomPreset}"` : 'dispatches no agent';
  return `rule ${ruleLabel(rule)}: calls on ${trunks} go to ${where}${rule.hasPin ? ' (PIN)' : ''}; ${agents}`;
}

export function trunkLine(t: SipInboundTrunkView): string {
  return `inbound trunk ${t.id}${t.name ? ` "${t.name}"` : ''}: numbers ${t.numbers.length ? t.numbers.join(', ') : '(any)'}${t.allowedAddresses.length ? `, from ${t.allowedAddresses.join(', ')}` : ''}${t.hasAuth ? ', with authentication' : ''}`;
}

const ROOM_CONFIG_FIX = (agentName: string): Remedy => ({
  text: `put the agent into the rule's room configuration: "roomConfig": {"agents": [{"agentName": ${JSON.stringify(agentName)}}]} (the UpdateSIPDispatchRule API, \`lk sip dispatch\`, or the dashboard's dispatch rule editor); a named agent is never dispatched automatically`,
  links: ['https://docs.livekit.io/agents/server/agent-dispatch/', 'https://docs.livekit.io/sip/dispatch-rule/'],
});

/**
 * What a call matched by each rule gets, against the user's agent (byte for byte) and the inbound trunks
 * that exist. Pure: the SIP checks and the unit tests feed it listed rules.
 */
export function assessRuleAgents(rules: SipDispatchRuleView[], agentName: string | undefined): SipProblem[] {
  const problems: SipProblem[] = [];
  if (!rules.length) {
    problems.push({
      cause: 'sip-no-dispatch-rules',
      severity: 'warn',
      rules: [],
      message: 'no SIP dispatch rule exists: an inbound call matches no rule and is rejected, so no room (and no agent) is created for it',
      fix: { text: 'create a dispatch rule (lk sip dispatch create rule.json) that names your agent in roomConfig.agents', links: ['https://docs.livekit.io/sip/dispatch-rule/'] },
    });
    return problems;
  }
  const named = agentName !== undefined && agentName !== '';
  for (const rule of rules) {
    if (!rule.agents.length) {
      if (named && !rule.roomPreset) {
        problems.push({
          cause: 'sip-rule-no-agent',
          severity: 'fail',
          rules: [rule.id],
          message: `rule ${ruleLabel(rule)} dispatches no agent: calls get a room without "${agentName}", because an agent with a name is dispatched only when something names it`,
          fix: ROOM_CONFIG_FIX(agentName),
        });
      }
      continue;
    }
    if (!named || rule.agents.some((a) => a.agentName === agentName)) continue;
    const comparisons = rule.agents.map((a) => ({ name: a.agentName, c: compareAgentNames(agentName, a.agentName) }));
    const near = comparisons.find((x) => x.c.likelySame);
    if (near) {
      const differences = near.c.differences.map(inRuleWords);
      problems.push({
        cause: 'sip-rule-agent-name-differs',
        severity: 'fail',
        rules: [rule.id],
        message: `rule ${ruleLabel(rule)} dispatches ${near.c.shown.registered}, not ${near.c.shown.expected}: ${differences[0]}; the server compares names byte for byte, so calls get no agent`,
        differences,
        fix: ROOM_CONFIG_FIX(agentName),
      });
    } else {
      problems.push({
        cause: 'sip-rule-other-agent',
        severity: 'warn',
        rules: [rule.id],
        message: `rule ${ruleLabel(rule)} dispatches ${comparisons.map((x) => visible(x.name)).join(', ')}, not your agent ${visible(agentName)}`,
        fix: { text: `if calls on this rule are meant for "${agentName}", name it in the rule's roomConfig.agents; otherwise check that agent with --agent ${JSON.stringify(comparisons[0]!.name)}` },
      });
    }
  }
  return problems;
}

/** The name comparison speaks of "expected" and "registered" names; here they are the agent's and the rule's. */
function inRuleWords(line: string): string {
  return line.replace(/\bexpected name\b/g, "your agent's name").replace(/\bregistered name\b/g, "the rule's name");
}

/** Rules whose trunk list names a trunk that is not an inbound trunk on the server: they match no call from it. */
export function assessRuleTrunks(rules: SipDispatchRuleView[], trunks: SipInboundTrunkView[]): SipProblem[] {
  const known = new Set(trunks.map((t) => t.id));
  return rules.flatMap((rule): SipProblem[] => {
    const missing = rule.trunkIds.filter((id) => !known.has(id));
    if (!missing.length) return [];
    const all = missing.length === rule.trunkIds.length;
    return [
      {
        cause: 'sip-rule-unknown-trunk',
        severity: 'fail',
        rules: [rule.id],
        message: `rule ${ruleLabel(rule)} names ${missing.length === 1 ? 'trunk' : 'trunks'} ${missing.join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} no inbound trunk on this server${all ? ': the rule matches no call at all' : ''}`,
        fix: {
          text: `create the inbound trunk, or put the id of an existing one (${trunks.length ? trunks.map((t) => t.id).join(', ') : 'none exists yet'}) into the rule's trunkIds; an empty trunkIds list accepts calls from every trunk`,
          links: ['https://docs.livekit.io/sip/trunk-inbound/'],
        },
      },
    ];
  });
}

/** The agent names rules dispatch, each once, in rule order. */
export function ruleAgentNames(rules: SipDispatchRuleView[]): string[] {
  return [...new Set(rules.flatMap((r) => r.agents.map((a) => a.agentName)).filter((n) => n !== ''))];
}
