/**
 * The agent is not where the dispatch looks: registered under a name that differs by case or a
 * trailing space, or registered in another project (a second livekit-server with other keys).
 * Real Node and Python agents on real servers; a garbage --server-log is a one-line usage error.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LiveKitServer } from '../harness/server.js';
import { startAgent, type RunningAgent } from '../harness/agents.js';
import { runCli, connectionArgs } from '../harness/cli.js';
import { useLiveServer } from '../harness/live-server.js';
import { doctorJson, describeRun, expectFailure, expectNoSecrets, expectNothingLeft, uniqueId, WAIT } from '../harness/scenarios.js';

describe('agent registered under another name or in another project', () => {
  let server: LiveKitServer;
  let otherProject: LiveKitServer;
  let capitalised: RunningAgent; // Python, one capital letter
  let trailingSpace: RunningAgent; // Node, a trailing space
  let elsewhere: RunningAgent; // Node, the right name on the other server
  const id = uniqueId();
  const meant = `fixture-name-${id}`;
  const agentsDone: RunningAgent[] = [];

  // One after the other (hooks run in order): free ports are picked per start, two starts at once can pick the same one.
  useLiveServer({ onStart: (s) => (server = s) });
  useLiveServer({ onStart: (s) => (otherProject = s) });

  beforeAll(async () => {
    const here = { url: server.url, apiKey: server.keys[0]!.key, apiSecret: server.keys[0]!.secret };
    const there = { url: otherProject.url, apiKey: otherProject.keys[0]!.key, apiSecret: otherProject.keys[0]!.secret };
    const started = await Promise.all([
      startAgent({ framework: 'python', ...here, agentName: `F${meant.slice(1)}`, behaviour: 'tone' }),
      startAgent({ framework: 'node', ...here, agentName: `space-${meant} `, behaviour: 'tone' }),
      startAgent({ framework: 'node', ...there, agentName: `project-${meant}`, behaviour: 'tone' }),
    ]);
    [capitalised, trailingSpace, elsewhere] = started;
    agentsDone.push(...started);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(agentsDone.map((a) => a.stop().catch(() => {})));
  });

  it('Python agent with one capital letter: --agent-http names the registered name and the difference in the top finding', async () => {
    const run = await doctorJson(server, ['--agent', meant, '--agent-http', `http://127.0.0.1:${capitalised.httpPort}`, ...WAIT]);
    const top = await expectFailure(run, 'agent-name-mismatch', server);
    expect(top.title).toContain(`"F${meant.slice(1)}"`);
    expect(top.title).toContain(`"${meant}"`);
    expect(top.title).toMatch(/case differs/);
    expect(run.check('agent-http.name').status).toBe('fail');
    // Timing inference stays, below the evidence.
    const timing = run.report.findings.find((f) => f.cause === 'agent-not-registered');
    expect(timing?.likelihood).toBe('low');
  }, 90_000);

  it('Node agent with a trailing space: --server-log gives the registered near-miss as the probable intent', async () => {
    const run = await doctorJson(server, ['--agent', `space-${meant}`, '--server-log', server.logFile, ...WAIT]);
    const top = await expectFailure(run, 'agent-name-mismatch', server);
    expect(top.title).toMatch(/^The server's log: No worker is registered under the exact name/);
    expect(top.title).toContain('Probably meant: "space-' + meant + '␠"');
    expect(top.evidence.some((l) => l.includes('not dispatching agent job since no worker is available') || l.includes(`no worker registered as "space-${meant}"`))).toBe(true);
    expect(top.evidence.some((l) => l.includes('worker registered') && l.includes(trailingSpace.workerId))).toBe(true);
    expect(run.check('server-log.verdict').cause).toBe('no-worker-for-name');
  }, 90_000);

  it('--agent-http compares the names without any dispatch (--skip agent, --only agent-http), and shows the difference', async () => {
    const skip = await runCli(['check', '--agent', `space-${meant}`, '--agent-http', `http://127.0.0.1:${trailingSpace.httpPort}`, '--skip', 'agent', ...connectionArgs(server)], { timeoutMs: 60_000 });
    expect(skip.code, skip.stdout + skip.stderr).toBe(1);
    expect(skip.stdout).toContain(`registered as "space-${meant}␠", dispatched as "space-${meant}"`);
    expect(skip.stdout).toMatch(/registered name has 1 trailing whitespace character/);
    expect(skip.stdout).toMatch(/1\. Your agent's endpoint says: .*\(high likelihood, agent-name-mismatch\)/);
    expectNoSecrets(skip, server);

    const only = await doctorJson(server, ['--agent', meant, '--agent-http', `127.0.0.1:${capitalised.httpPort}`, '--only', 'agent-http']);
    expect(only.report.checks.some((c) => c.id.startsWith('agent.') || c.id.startsWith('probe.'))).toBe(false);
    await expectFailure(only, 'agent-name-mismatch', server);
    expect(only.check('agent-http.name').details).toContain(`dispatched:  "${meant}"`);
  }, 90_000);

  it('agent registered with another project\'s keys: agent-not-registered, from timing and from the server log', async () => {
    const name = `project-${meant}`;
    const plain = await doctorJson(server, ['--agent', name, ...WAIT]);
    const timing = await expectFailure(plain, 'agent-not-registered', server, otherProject);
    expect(timing.title).toContain("while the doctor's probe got its own job");
    expect(timing.fix.text).toMatch(/another project/);

    const withLog = await doctorJson(server, ['--agent', name, '--server-log', server.logFile, ...WAIT]);
    const fromLog = await expectFailure(withLog, 'agent-not-registered', server, otherProject);
    expect(fromLog.title).toMatch(/^The server's log: No worker is registered under the exact name/);
    expect(fromLog.title).not.toContain('Probably meant');
    expect(fromLog.fix.text).toMatch(/another server or project/);
    expect(fromLog.evidence.some((l) => (l.includes('not dispatching agent job since no worker is available') && l.includes(`"agentName": "${name}"`)) || l.includes(`no worker registered as "${name}"`))).toBe(true);
    // The agent is registered on the other server, under the exact name.
    expect(otherProject.log()).toContain(elsewhere.workerId);
    expect(server.log()).not.toContain(elsewhere.workerId);
    await expectNothingLeft(otherProject);
  }, 90_000);

  it('a garbage --server-log is a one-line usage error (exit 2) before anything is created', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lkd-garbage-'));
    const garbage = join(dir, 'server.log');
    writeFileSync(garbage, 'this is not\na livekit-server log\n{"json": "but not zap"}\n');
    const run = await runCli(['check', '--agent', meant, '--server-log', garbage, ...connectionArgs(server)], { timeoutMs: 30_000 });
    expect(run.code, run.stderr).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines, run.stderr).toHaveLength(1);
    expect(lines[0]).toContain(`--server-log ${garbage}: The server log cannot be read: none of its 3 non-empty lines is a livekit-server log line`);
    expect(run.stdout).toBe('');
    expectNoSecrets(run, server);
    await expectNothingLeft(server);
  }, 60_000);
});
