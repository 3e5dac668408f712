/**
 * The agent joins but stays silent (--voice), and two workers under the same name with --worker-id
 * of one of them. Load balancing picks a worker at random (weighted by load), so the test makes the
 * outcome certain instead of hoping: "ours" reports itself full, so the twin is the only worker the
 * server can offer the job to — what a user sees when a stale deployment keeps taking the jobs.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { LiveKitServer } from '../harness/server.js';
import { startAgent, type RunningAgent } from '../harness/agents.js';
import { useLiveServer } from '../harness/live-server.js';
import { doctorJson, describeRun, expectFailure, expectNoSecrets, expectNothingLeft, uniqueId, WAIT } from '../harness/scenarios.js';

describe('silent agent, and a second worker under the same name', () => {
  let server: LiveKitServer;
  let silent: RunningAgent;
  let ours: RunningAgent; // Node, full: never offered a job
  let twin: RunningAgent; // Python, same name: takes every job
  const id = uniqueId();
  const shared = `twin-${id}`;
  const started: RunningAgent[] = [];

  useLiveServer({ onStart: (s) => (server = s) });

  beforeAll(async () => {
    const base = { url: server.url, apiKey: server.keys[0]!.key, apiSecret: server.keys[0]!.secret };
    const all = await Promise.all([
      startAgent({ framework: 'node', ...base, agentName: `silent-${id}`, behaviour: 'silent' }),
      startAgent({ framework: 'node', ...base, agentName: shared, behaviour: 'full' }),
      startAgent({ framework: 'python', ...base, agentName: shared, behaviour: 'tone' }),
    ]);
    started.push(...all);
    [silent, ours, twin] = all;
  }, 180_000);

  afterAll(async () => {
    await Promise.all(started.map((a) => a.stop().catch(() => {})));
  });

  it('joins but says nothing and shows no voice session (--voice): agent-session-not-started, agent.speaks silent', async () => {
    const run = await doctorJson(server, ['--agent', silent.agentName, '--voice', ...WAIT]);
    const top = await expectFailure(run, 'agent-session-not-started', server);
    expect(run.check('agent.joined').status).toBe('pass');
    expect(run.check('agent.speaks').summary).toMatch(/silent for 6 s: it published no audio track/);
    expect(top.evidence.some((l) => l.startsWith("Your agent's voice session starts"))).toBe(true);
    // The generic "silent" finding stays out: the missing session says more.
    expect(run.report.findings.map((f) => f.cause)).not.toContain('agent-silent');
  }, 90_000);

  it('--worker-id of ours while the twin takes the job: another-worker-took-job, naming the twin from the server log', async () => {
    const run = await doctorJson(server, ['--agent', shared, '--worker-id', ours.workerId, '--server-log', server.logFile, ...WAIT]);
    const top = await expectFailure(run, 'another-worker-took-job', server);
    const taken = run.check('agent.job-taken');
    expect(taken.summary).toContain(`was taken by worker ${twin.workerId}, not by your worker ${ours.workerId}`);
    expect(top.evidence.join('\n')).toContain(twin.workerId);
    const jobs = taken.evidence?.jobs as { source: string; workerId?: string }[];
    const named = jobs.filter((j) => j.workerId === twin.workerId).map((j) => j.source);
    console.log(`[scenarios] twin's job named by: ${named.join(', ')}`);
    expect(named.length, JSON.stringify(jobs)).toBeGreaterThan(0);
    // The twin did join: the job went to the wrong worker, not nowhere.
    expect(run.check('server-log.verdict').status).toBe('pass');
  }, 90_000);

  it('--worker-id of the twin: the job-taken check passes and names it', async () => {
    const run = await doctorJson(server, ['--agent', shared, '--worker-id', twin.workerId, '--server-log', server.logFile, ...WAIT]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.check('agent.job-taken').summary).toMatch(new RegExp(`^worker ${twin.workerId} took job AJ_\\w+`));
    expectNoSecrets(run, server);
    await expectNothingLeft(server);
  }, 90_000);
});
