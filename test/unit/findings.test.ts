import { describe, it, expect } from 'vitest';
import { analyze } from '../../src/findings/analyze.js';
import { FINDING_RULES } from '../../src/findings/index.js';
import type { CheckResult, CheckStatus } from '../../src/core/model.js';

const result = (id: string, status: CheckStatus, summary = `${id} ${status}`, extra: Partial<CheckResult> = {}): CheckResult => ({
  id,
  title: `title of ${id}`,
  status,
  summary,
  required: true,
  startedAtMs: 0,
  durationMs: 1,
  ...extra,
});

const path = (...overrides: CheckResult[]): CheckResult[] => {
  const ids = ['settings.valid', 'server.reachable', 'server.credentials', 'server.clock', 'server.rooms', 'probe.registered', 'probe.dispatched', 'probe.job-received', 'probe.job-assigned', 'probe.joined'];
  const byId = new Map(overrides.map((o) => [o.id, o]));
  const base = ids.map((id) => byId.get(id) ?? result(id, 'pass', id === 'probe.job-received' ? 'job AJ_1 arrived 204 ms after the dispatch was sent' : `${id} ok`));
  return [...base, ...overrides.filter((o) => !ids.includes(o.id))];
};

describe('findings and the conclusion', () => {
  it('a passing control run says what it proves, and points at --agent', () => {
    const { findings, conclusion } = analyze(path(), FINDING_RULES);
    expect(findings).toEqual([]);
    expect(conclusion).toContain('needs no dashboard setting');
    expect(conclusion).toContain('204 ms');
    expect(conclusion).toContain('check --agent');
  });

  it('a passing run with the real agent says the path works end to end, with the agent and voice facts', () => {
    const { conclusion } = analyze(
      path(result('agent.dispatched', 'pass'), result('agent.job-taken', 'pass'), result('agent.joined', 'pass', 'agent-AJ_2 joined 280 ms after the dispatch'), result('agent.speaks', 'pass', 'first speech-level audio 777 ms after the dispatch')),
      FINDING_RULES,
    );
    expect(conclusion).toContain('works end to end');
    expect(conclusion).toContain('280 ms');
    expect(conclusion).toContain('777 ms');
    expect(conclusion).not.toContain('check --agent <name>');
  });

  it('a broken step names itself and what the passing steps rule out', () => {
    const { findings, conclusion } = analyze(
      path(result('server.credentials', 'fail', 'a signed ListRooms was refused: 401 unknown API key', { cause: 'unknown-api-key', fix: { text: 'use the key of this project' } }), result('probe.registered', 'skip')),
      FINDING_RULES,
    );
    expect(findings[0]).toMatchObject({ rank: 1, cause: 'unknown-api-key', likelihood: 'high' });
    expect(findings[0]!.fix.text).toBe('use the key of this project');
    expect(conclusion).toContain('The path stopped at "title of server.credentials"');
    expect(conclusion).toContain('rules out the network path to the server');
    expect(conclusion).not.toContain('the API key and secret');
  });

  it('the probe got its job but the agent got none: the fault is on the agent side, ranked first', () => {
    const { findings, conclusion } = analyze(
      path(result('agent.dispatched', 'pass', 'dispatch AD_1', { evidence: { agentName: 'my-agent' } }), result('agent.job-taken', 'fail', 'no sign within 8 s', { cause: 'agent-no-job' })),
      FINDING_RULES,
    );
    expect(findings[0]).toMatchObject({ cause: 'agent-not-registered', likelihood: 'high' });
    expect(findings[0]!.title).toContain('"my-agent"');
    expect(conclusion).toContain('dispatch in this project (the probe got its job)');
  });

  it('even the probe got no job: the platform finding, with the bundle command as the fix', () => {
    const { findings } = analyze(path(result('probe.job-received', 'fail', 'no job request within 10 s', { cause: 'dispatch-not-delivered' }), result('probe.job-assigned', 'skip')), FINDING_RULES);
    expect(findings[0]!.cause).toBe('dispatch-not-delivered');
    expect(findings[0]!.fix.commands).toContain('livekit-doctor check --bundle livekit-doctor-evidence.zip');
  });
});
