import { describe, it, expect } from 'vitest';
import type { CheckResult } from '../../src/core/model.js';
import { analyze as analyzeWith } from '../../src/findings/analyze.js';
import { FINDING_RULES } from '../../src/findings/index.js';
import { checkResult } from './fixtures/results.js';

const analyze = (results: Parameters<typeof analyzeWith>[0]) => analyzeWith(results, FINDING_RULES);

const result = checkResult;

const base = [result('probe.job-received', 'pass'), result('agent.dispatched', 'pass', { evidence: { agentName: 'my-agent' } })];
const noJob = result('agent.job-taken', 'fail', { cause: 'agent-no-job' });
const logVerdict = (cause: string, extra: Record<string, unknown> = {}) =>
  result('server-log.verdict', 'fail', {
    cause,
    evidence: { verdicts: [{ cause, summary: `log says ${cause}`, evidence: ['line 7: quoted'], fix: { text: 'log fix' }, ...extra }] },
  });
const httpName = result('agent-http.name', 'fail', { cause: 'agent-name-mismatch', summary: 'registered as "My-agent"', fix: { text: 'names' } });
const httpLoad = result('agent-http.worker', 'fail', { cause: 'agent-load-high', summary: 'load 1.00' });

describe('evidence findings: server log > agent endpoint > timing inference', () => {
  it('timing alone: agent-not-registered, high', () => {
    const { findings } = analyze([...base, noJob]);
    expect(findings.map((f) => [f.cause, f.likelihood])).toEqual([['agent-not-registered', 'high']]);
  });

  it('the log names the rejection: it ranks first, the timing finding is demoted to low', () => {
    const { findings } = analyze([...base, noJob, logVerdict('job-rejected')]);
    expect(findings.map((f) => [f.cause, f.likelihood])).toEqual([
      ['job-rejected', 'high'],
      ['agent-not-registered', 'low'],
    ]);
    expect(findings[0]!.title).toBe("The server's log: log says job-rejected");
    expect(findings[0]!.evidence).toContain('line 7: quoted');
  });

  it('the log and the timing say the same: one finding, from the log', () => {
    const { findings } = analyze([...base, noJob, logVerdict('no-worker-for-name')]);
    expect(findings.map((f) => f.cause)).toEqual(['agent-not-registered']);
    expect(findings[0]!.title).toMatch(/^The server's log/);
    expect(findings[0]!.fix.text).toMatch(/another server or project/);
  });

  it('a near-miss name in the log and on the endpoint: one agent-name-mismatch finding with both lines', () => {
    const intent = { probableIntent: [{ agentName: 'My-agent', workerId: 'AW_1', differences: ['case differs'], shown: '"My-agent"' }] };
    const { findings } = analyze([...base, noJob, httpName, logVerdict('no-worker-for-name', intent)]);
    expect(findings.map((f) => f.cause)).toEqual(['agent-name-mismatch', 'agent-not-registered']);
    expect(findings[0]!.fromChecks).toEqual(['server-log.verdict', 'agent-http.name']);
    expect(findings[0]!.evidence).toContain('agent-http.name: registered as "My-agent"');
  });

  it('the endpoint alone outranks timing; its load means worker-full', () => {
    const { findings } = analyze([...base, noJob, httpLoad]);
    expect(findings.map((f) => [f.cause, f.likelihood])).toEqual([
      ['worker-full', 'high'],
      ['agent-not-registered', 'low'],
    ]);
  });

  it('a crash seen in the log replaces the timing crash finding', () => {
    const taken = result('agent.job-taken', 'pass');
    const joined = result('agent.joined', 'fail', { cause: 'agent-crashed-before-join' });
    const { findings } = analyze([...base, taken, joined, logVerdict('assigned-not-joined')]);
    expect(findings.map((f) => f.cause)).toEqual(['agent-crashed-before-join']);
    expect(findings[0]!.title).toMatch(/^The server's log/);
    expect(findings[0]!.evidence).toContain('agent.joined: agent.joined fail');
  });

  it('an unrelated log (warn, nothing logged) changes nothing', () => {
    const unrelated = result('server-log.verdict', 'warn', { cause: 'server-log-nothing-logged', evidence: { verdicts: [{ cause: 'nothing-logged' }] } });
    expect(analyze([...base, noJob, unrelated]).findings).toEqual(analyze([...base, noJob]).findings);
  });
});
