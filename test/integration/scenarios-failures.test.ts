/**
 * The agent takes the job and fails, or never takes it: crash before joining (Node and Python),
 * rejecting every job, reporting itself full. The server writes JSON logs here (the console format
 * is covered by the other scenario files); --server-log names each cause from the server's own lines.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { LiveKitServer } from '../harness/server.js';
import { startAgent, type AgentBehaviour, type AgentFramework, type RunningAgent } from '../harness/agents.js';
import { useLiveServer } from '../harness/live-server.js';
import { doctorJson, expectFailure, uniqueId, WAIT } from '../harness/scenarios.js';

describe('agent fails after the dispatch: the server log names the cause (JSON log)', () => {
  let server: LiveKitServer;
  const agents = new Map<string, RunningAgent>();
  const id = uniqueId();
  const cases: [string, AgentFramework, AgentBehaviour][] = [
    ['crash-node', 'node', 'crash'],
    ['crash-python', 'python', 'crash'],
    ['reject', 'node', 'reject'],
    ['full', 'python', 'full'],
  ];

  useLiveServer({ onStart: (s) => (server = s), options: { jsonLog: true } });

  beforeAll(async () => {
    const { key, secret } = server.keys[0]!;
    await Promise.all(
      cases.map(async ([label, framework, behaviour]) => {
        agents.set(label, await startAgent({ framework, url: server.url, apiKey: key, apiSecret: secret, agentName: `${label}-${id}`, behaviour }));
      }),
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...agents.values()].map((a) => a.stop().catch(() => {})));
  });

  for (const framework of ['node', 'python'] as const) {
    it(`${framework} agent accepts, then crashes before joining: the top finding is the crash, from the server's log`, async () => {
      const agent = agents.get(`crash-${framework}`)!;
      const run = await doctorJson(server, ['--agent', agent.agentName, '--server-log', server.logFile, ...WAIT]);
      const top = await expectFailure(run, 'agent-crashed-before-join', server);
      expect(top.title).toMatch(new RegExp(`^The server's log: Worker ${agent.workerId} accepted job AJ_\\w+ in room "livekit-doctor-\\w+" but no agent joined`));
      expect(top.evidence.some((l) => l.includes('"msg":"assigned job to worker"') && l.includes(agent.workerId))).toBe(true);
      expect(run.check('server-log.verdict').cause).toBe('assigned-not-joined');
      expect(run.check('agent.job-taken').status).toBe('pass');
      expect(run.check('agent.joined').cause).toBe('agent-crashed-before-join');
      // The same cause from timing alone is not listed twice.
      expect(run.report.findings.filter((f) => f.cause === 'agent-crashed-before-join')).toHaveLength(1);
    }, 90_000);
  }

  it("without the server log, the agent endpoint's active_jobs shows the Node agent took the job before it crashed", async () => {
    const agent = agents.get('crash-node')!;
    const run = await doctorJson(server, ['--agent', agent.agentName, '--agent-http', `http://127.0.0.1:${agent.httpPort}`, ...WAIT]);
    await expectFailure(run, 'agent-crashed-before-join', server);
    const jobs = run.check('agent.job-taken').evidence?.jobs as { source: string; status?: string }[];
    expect(jobs.find((j) => j.source === 'agent-http')?.status, JSON.stringify(jobs)).toMatch(/active_jobs rose from 0 to [1-9]/);
  }, 90_000);

  it('agent rejects every job: job-rejected, with the server\'s "worker not available" line', async () => {
    const agent = agents.get('reject')!;
    const run = await doctorJson(server, ['--agent', agent.agentName, '--server-log', server.logFile, ...WAIT]);
    const top = await expectFailure(run, 'job-rejected', server);
    expect(top.title).toContain(`Worker ${agent.workerId} was offered job`);
    expect(top.evidence.some((l) => l.includes('failed to assign job to worker') && l.includes('worker not available'))).toBe(true);
    // "No job taken" from timing stays, ranked below the log's evidence.
    expect(run.report.findings.find((f) => f.cause === 'agent-not-registered')?.likelihood).toBe('low');
  }, 90_000);

  it('agent reports itself full: worker-full from the server log, with the load from the agent endpoint', async () => {
    const agent = agents.get('full')!;
    const run = await doctorJson(server, ['--agent', agent.agentName, '--server-log', server.logFile, '--agent-http', `http://127.0.0.1:${agent.httpPort}`, ...WAIT]);
    const top = await expectFailure(run, 'worker-full', server);
    expect(top.title).toMatch(/^The server's log: /);
    expect(run.check('agent-http.worker').cause).toBe('agent-load-high');
    expect(top.evidence.some((l) => /load 1\.00/.test(l))).toBe(true);
    expect(top.fromChecks).toEqual(['server-log.verdict', 'agent-http.worker']);
    expect(run.report.findings.filter((f) => f.cause === 'worker-full')).toHaveLength(1);
  }, 90_000);
});
