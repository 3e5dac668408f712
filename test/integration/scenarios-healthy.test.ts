/**
 * Healthy real agents (Node and Python fixtures on the real agent frameworks) against a real
 * livekit-server: the conversational fixtures (a real AgentSession each) pass every check with --voice,
 * --agent-http and --server-log, and the server's assignment line is the evidence. A log from another
 * time changes nothing.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { LiveKitServer } from '../harness/server.js';
import { startAgent, type AgentFramework, type RunningAgent } from '../harness/agents.js';
import { useLiveServer } from '../harness/live-server.js';
import { doctorJson, describeRun, expectNoSecrets, expectNothingLeft, uniqueId, WAIT } from '../harness/scenarios.js';

const OLD_LOG = fileURLToPath(new URL('../fixtures/logs/livekit-server-v1.13.5-console.log', import.meta.url));

describe('healthy real agents: every check passes', () => {
  let server: LiveKitServer;
  const agents = new Map<AgentFramework, RunningAgent>();
  const id = uniqueId();

  useLiveServer({ onStart: (s) => (server = s) });

  beforeAll(async () => {
    const { key, secret } = server.keys[0]!;
    const started = await Promise.all(
      (['node', 'python'] as const).map((framework) =>
        startAgent({ framework, url: server.url, apiKey: key, apiSecret: secret, agentName: `healthy-${framework}-${id}`, behaviour: 'healthy' }),
      ),
    );
    for (const a of started) agents.set(a.framework, a);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...agents.values()].map((a) => a.stop().catch(() => {})));
  });

  for (const framework of ['node', 'python'] as const) {
    it(`${framework}: joins, converses, the agent endpoint and the server's log agree`, async () => {
      const agent = agents.get(framework)!;
      const run = await doctorJson(server, ['--agent', agent.agentName, '--voice', '--agent-http', `http://127.0.0.1:${agent.httpPort}`, '--server-log', server.logFile, ...WAIT]);
      expect(run.code, describeRun(run)).toBe(0);
      const statuses = run.report.checks.map((c) => `${c.id}:${c.status}`);
      expect(statuses.filter((s) => !s.endsWith(':pass')), describeRun(run)).toEqual([]);
      for (const id of ['agent-http.reachable', 'agent-http.healthy', 'agent-http.name', 'agent-http.worker', 'server-log.read', 'agent.session-started', 'agent.hears', 'agent.replies', 'agent.speaks', 'agent.stays', 'server-log.verdict']) {
        expect(statuses).toContain(`${id}:pass`);
      }
      expect(run.report.findings).toEqual([]);
      // The assignment line, with this run's room and the agent's worker id, is the evidence.
      const verdict = run.check('server-log.verdict');
      const room = run.check('agent.dispatched').evidence?.room as string;
      expect(verdict.summary).toContain(agent.workerId);
      expect(verdict.details?.some((l) => l.includes('assigned job to worker') && l.includes(room))).toBe(true);
      expect(run.check('agent-http.name').summary).toContain(`"${agent.agentName}"`);
      console.log(`[scenarios] healthy ${framework}: ${run.check('agent.joined').summary}; ${run.check('agent.speaks').summary}; run ${Math.round(run.durationMs)} ms`);
      expectNoSecrets(run, server);
      await expectNothingLeft(server);
    }, 120_000);
  }

  it('a server log from another time and other rooms changes nothing: a warning, no finding, exit 0', async () => {
    const agent = agents.get('node')!;
    const run = await doctorJson(server, ['--agent', agent.agentName, '--server-log', OLD_LOG, ...WAIT]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.check('server-log.read').status).toBe('pass');
    const verdict = run.check('server-log.verdict');
    expect(verdict.status).toBe('warn');
    expect(verdict.cause).toBe('server-log-nothing-logged');
    expect(run.report.checks.filter((c) => c.status !== 'pass').map((c) => c.id)).toEqual(['server-log.verdict']);
    expect(run.report.findings).toEqual([]);
    expectNoSecrets(run, server);
    await expectNothingLeft(server);
  }, 90_000);
});
