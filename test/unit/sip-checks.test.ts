import { describe, expect, it } from 'vitest';
import { assessRuleAgents, assessRuleTrunks, ruleAgentNames, ruleLine } from '../../src/checks/support/sip-assess.js';
import { sipRuleAgents } from '../../src/checks/sip/rule-agents.js';
import { sipRuleTrunks } from '../../src/checks/sip/rule-trunks.js';
import { sipAgentsServed } from '../../src/checks/sip/agents-served.js';
import { classifyFailure } from '../../src/livekit/classify.js';
import { ServerApiError } from '../../src/livekit/server-api.js';
import { isSipNeedsRedis, type SipDispatchRuleView, type SipInboundTrunkView } from '../../src/livekit/sip-api.js';
import { fakeContext, job } from './checks/fake-context.js';

const rule = (id: string, overrides: Partial<SipDispatchRuleView> = {}): SipDispatchRuleView => ({
  id, name: id.toLowerCase(), trunkIds: [], kind: 'individual', room: 'call-', hasPin: false, numbers: [], inboundNumbers: [], agents: [], roomPreset: '', ...overrides,
});
const trunk = (id: string): SipInboundTrunkView => ({ id, name: id, numbers: ['+15550001'], allowedAddresses: [], allowedNumbers: [], hasAuth: false });
const agents = (...names: string[]) => names.map((agentName) => ({ agentName, metadata: '' }));

describe('SIP dispatch rules against the agent', () => {
  it('a rule with the agent is fine; one with no agent fails when the agent has a name, not when it has none', () => {
    const rules = [rule('SDR_ok', { agents: agents('my-agent') }), rule('SDR_empty')];
    expect(assessRuleAgents(rules, 'my-agent').map((p) => [p.cause, p.rules])).toEqual([['sip-rule-no-agent', ['SDR_empty']]]);
    expect(assessRuleAgents(rules, undefined)).toEqual([]);
    expect(assessRuleAgents(rules, '')).toEqual([]);
  });

  it('compares byte for byte: a trailing space or another case is a near miss, another name is another agent', () => {
    const problems = assessRuleAgents([rule('SDR_space', { agents: agents('my-agent ') }), rule('SDR_case', { agents: agents('My-Agent') }), rule('SDR_other', { agents: agents('billing-bot') })], 'my-agent');
    expect(problems.map((p) => [p.cause, p.severity])).toEqual([
      ['sip-rule-agent-name-differs', 'fail'],
      ['sip-rule-agent-name-differs', 'fail'],
      ['sip-rule-other-agent', 'warn'],
    ]);
    expect(problems[0]!.message).toContain('"my-agent␠"');
    expect(problems[0]!.message).toContain("the rule's name has 1 trailing whitespace");
    expect(problems[1]!.message).toContain('case differs');
  });

  it('a room preset hides the agents: no "dispatches no agent" claim', () => {
    expect(assessRuleAgents([rule('SDR_preset', { roomPreset: 'voice' })], 'my-agent')).toEqual([]);
    expect(ruleLine(rule('SDR_preset', { roomPreset: 'voice' }))).toContain('room preset "voice"');
  });

  it('no rule at all: inbound calls are rejected', () => {
    expect(assessRuleAgents([], 'my-agent').map((p) => p.cause)).toEqual(['sip-no-dispatch-rules']);
  });

  it('a trunk id that is no inbound trunk is named; an empty list means every trunk', () => {
    const problems = assessRuleTrunks([rule('SDR_a', { trunkIds: ['ST_1'] }), rule('SDR_b', { trunkIds: ['ST_1', 'ST_gone'] }), rule('SDR_c', { trunkIds: ['ST_gone'] }), rule('SDR_d')], [trunk('ST_1')]);
    expect(problems.map((p) => p.rules[0])).toEqual(['SDR_b', 'SDR_c']);
    expect(problems[0]!.message).not.toContain('matches no call at all');
    expect(problems[1]!.message).toContain('matches no call at all');
  });

  it('names each dispatched agent once', () => {
    expect(ruleAgentNames([rule('a', { agents: agents('x', 'y') }), rule('b', { agents: agents('x', '') })])).toEqual(['x', 'y']);
  });

  it('the self-hosted "no Redis" answer is recognised from the classified 500', () => {
    const err = new ServerApiError(classifyFailure({ status: 500, message: 'internal twirp error unknown: sip not connected (redis required)' }, 'ListSIPDispatchRule'));
    expect(isSipNeedsRedis(err)).toBe(true);
    expect(isSipNeedsRedis(new ServerApiError(classifyFailure({ status: 500, message: 'boom' }, 'ListSIPDispatchRule')))).toBe(false);
  });
});

describe('the sip checks on listed rules', () => {
  const sip = { rules: [rule('SDR_ok', { trunkIds: ['ST_1'], agents: agents('my-agent') }), rule('SDR_empty', { trunkIds: ['ST_old'] })], trunks: [trunk('ST_1')] };

  it('sip.rule-agents fails naming the rule with no agent; sip.rule-trunks names the missing trunk', async () => {
    const ctx = fakeContext({ options: { agentName: 'my-agent', sip: true }, facts: { sip } });
    const agentsOutcome = await sipRuleAgents.run(ctx);
    expect(agentsOutcome).toMatchObject({ status: 'fail', cause: 'sip-rule-no-agent' });
    expect(agentsOutcome.summary).toContain('SDR_empty');
    const trunks = await sipRuleTrunks.run(ctx);
    expect(trunks).toMatchObject({ status: 'fail', cause: 'sip-rule-unknown-trunk' });
    expect(trunks.summary).toContain('ST_old');
  });

  it('sip.agents-served: unserved when the doctor dispatched the name and no worker came while the probe got its job', async () => {
    const ctx = fakeContext({
      options: { agentName: 'my-agent', sip: true, waitMs: 3000 },
      facts: { sip, probeJob: job({ jobId: 'AJ_probe' }), agentDispatch: { room: 'r', dispatchId: 'AD_1', agentName: 'my-agent', sentAtMs: 1, answeredAtMs: 2 }, agent: { otherAgents: [], jobs: [], polls: 3, serverListsJobs: false } },
    });
    const outcome = await sipAgentsServed.run(ctx);
    expect(outcome).toMatchObject({ status: 'fail', cause: 'sip-rule-agent-unserved' });
    expect(outcome.details?.[0]).toContain('AJ_probe');
  });

  it('sip.agents-served: served when the agent joined or its endpoint reports the name; unverified otherwise', async () => {
    const joined = fakeContext({
      options: { agentName: 'my-agent', sip: true },
      facts: { sip, agent: { joined: { identity: 'agent-AJ_1', kind: 'AGENT', agentName: 'my-agent', seenAtMs: 5, tracks: [] }, otherAgents: [], jobs: [], polls: 1, serverListsJobs: false } },
    });
    expect((await sipAgentsServed.run(joined)).status).toBe('pass');
    const endpoint = fakeContext({
      options: { sip: true },
      facts: { sip, agentHttp: { statuses: [{ url: 'http://127.0.0.1:8081', reachable: true, health: { ok: true }, worker: { agentName: 'my-agent', raw: {} }, elapsedMs: 3 }] } },
    });
    expect((await sipAgentsServed.run(endpoint)).status).toBe('pass');
    const unknown = await sipAgentsServed.run(fakeContext({ options: { sip: true }, facts: { sip } }));
    expect(unknown).toMatchObject({ status: 'warn', cause: 'sip-rule-agent-unverified' });
  });
});
