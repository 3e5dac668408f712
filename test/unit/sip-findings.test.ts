import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/findings/analyze.js';
import type { CheckResult, CheckStatus } from '../../src/core/model.js';
import { assessRuleAgents, assessRuleTrunks } from '../../src/checks/support/sip-assess.js';
import { sipDocument, SIP_SCHEMA } from '../../src/commands/sip/render.js';
import type { Report } from '../../src/core/model.js';
import { checkResult } from './fixtures/results.js';

const result = checkResult;
const rule = (id: string, agentNames: string[], trunkIds: string[] = []) => ({ id, name: id, trunkIds, kind: 'individual' as const, room: 'call-', hasPin: false, numbers: [], inboundNumbers: [], agents: agentNames.map((agentName) => ({ agentName, metadata: '' })), roomPreset: '' });

describe('SIP findings', () => {
  it('one finding per cause, each listing every rule that has it', () => {
    const rules = [rule('SDR_a', []), rule('SDR_b', []), rule('SDR_c', ['my-agent '], ['ST_gone'])];
    const agentProblems = assessRuleAgents(rules, 'my-agent');
    const trunkProblems = assessRuleTrunks(rules, []);
    const { findings } = analyze([
      result('sip.listed', 'pass'),
      result('sip.rule-agents', 'fail', { cause: agentProblems[0]!.cause, evidence: { problems: agentProblems } }),
      result('sip.rule-trunks', 'fail', { cause: 'sip-rule-unknown-trunk', evidence: { problems: trunkProblems } }),
    ]);
    expect(findings.map((f) => f.cause)).toEqual(['sip-rule-no-agent', 'sip-rule-agent-name-differs', 'sip-rule-unknown-trunk']);
    expect(findings[0]!.evidence).toHaveLength(2);
    expect(findings[0]!.evidence.join(' ')).toContain('SDR_b');
    expect(findings[1]!.title).toContain('byte for byte');
  });

  it('"no Redis" is one finding, and an unserved agent names the probe as the control', () => {
    const redis = analyze([result('sip.listed', 'fail', { cause: 'sip-needs-redis', summary: 'SIP is not available on this server' })]);
    expect(redis.findings.map((f) => f.title)).toEqual(['SIP is off on this server: livekit-server runs without Redis, which SIP needs']);
    const unserved = analyze([result('probe.job-received', 'pass', { summary: 'job AJ_1 arrived 210 ms after the dispatch was sent' }), result('sip.agents-served', 'fail', { cause: 'sip-rule-agent-unserved' })]);
    const f = unserved.findings.find((x) => x.cause === 'sip-rule-agent-unserved')!;
    expect(f.evidence.join('\n')).toContain('AJ_1 arrived');
  });

  it('the sip --json document carries the listing from sip.listed and only the sip checks (plus failures)', () => {
    const report = {
      startedAt: '2026-01-01T00:00:00.000Z', target: { url: 'ws://x', apiKey: 'APIa…', agentName: 'a', settings: {} }, findings: [], exitCode: 0,
      checks: [result('settings.valid', 'pass'), result('sip.listed', 'pass', { evidence: { rules: [rule('SDR_a', ['a'])], trunks: [] } }), result('sip.rule-agents', 'pass')],
    } as unknown as Report;
    const doc = sipDocument(report);
    expect(doc.schema).toBe(SIP_SCHEMA);
    expect(doc.rules.map((r) => r.id)).toEqual(['SDR_a']);
    expect(doc.checks.map((c) => c.id)).toEqual(['sip.listed', 'sip.rule-agents']);
  });
});
