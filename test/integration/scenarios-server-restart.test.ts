/**
 * A worker whose socket dropped (issue 14, N10): livekit-server restarts on the same port, with its log going
 * on in the same file. Measured on livekit-agents 1.8.9 and @livekit/agents 1.9.0: a worker reconnects about
 * 2 s after a quick restart (a new worker id), and the doctor passes; a worker whose retries run out while the
 * server is down (FIXTURE_MAX_RETRY=2: Python gives up after ~2.5 s, Node after ~6 s) exits, so its endpoint
 * stops answering and the new server never sees it. Python answers GET / 200 while it retries, Node 503 "not
 * connected to livekit"; neither one's "failed to connect" 503 outlives its exit. A server of this file's own:
 * restarting the shared one would disturb other files' tests.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { LiveKitServer } from '../harness/server.js';
import { startAgent, type RunningAgent } from '../harness/agents.js';
import { startLiveServer } from '../harness/live-server.js';
import { doctorJson, describeRun, expectFailure, expectNothingLeft, uniqueId } from '../harness/scenarios.js';
import { disposeRtc } from '../../src/livekit/participant.js';

const FRAMEWORKS = ['python', 'node'] as const;
type Framework = (typeof FRAMEWORKS)[number];

/** The log since the server's latest start: what the running server knows. */
function sinceLastStart(server: LiveKitServer): string {
  const log = server.log();
  return log.slice(log.lastIndexOf('starting LiveKit server'));
}

const registrationOf = (name: string) => new RegExp(`worker registered\\t\\{[^\\n]*"agentName": "${name}"`);

async function until(what: string, done: () => boolean, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (let i = 0; i < withinMs / 100 + 1 && Date.now() < deadline; i++) {
    if (done()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!done()) throw new Error(`${what}: not within ${withinMs} ms`);
}

describe('a worker whose socket dropped: the server restarts on the same port', () => {
  let server: LiveKitServer;
  const started: RunningAgent[] = [];
  const id = uniqueId();
  const base = () => ({ url: server.url, apiKey: server.keys[0]!.key, apiSecret: server.keys[0]!.secret });

  beforeAll(async () => {
    server = await startLiveServer();
  });
  afterAll(async () => {
    await Promise.all(started.map((a) => a.stop().catch(() => {})));
    try {
      if (server) await expectNothingLeft(server);
    } finally {
      await server?.stop();
      await disposeRtc();
    }
  });

  describe('the workers reconnect after a quick restart', () => {
    const agents = new Map<Framework, RunningAgent>();
    beforeAll(async () => {
      for (const framework of FRAMEWORKS) {
        const agent = await startAgent({ framework, ...base(), agentName: `back-${framework}-${id}`, behaviour: 'tone' });
        started.push(agent);
        agents.set(framework, agent);
      }
      await server.restart();
      // Synchronised on the new server's own registration lines, not on time.
      await until('both workers registered again', () => FRAMEWORKS.every((f) => registrationOf(agents.get(f)!.agentName).test(sinceLastStart(server))), 30_000);
    }, 240_000);

    for (const framework of FRAMEWORKS) {
      it(`${framework}: registered again with the new server, the doctor passes`, async () => {
        const agent = agents.get(framework)!;
        const run = await doctorJson(server, ['--agent', agent.agentName, '--agent-http', `http://127.0.0.1:${agent.httpPort}`, '--server-log', server.logFile, '--wait', '20']);
        expect(run.code, describeRun(run)).toBe(0);
        expect(run.check('agent.joined').status).toBe('pass');
        expect(run.check('server-log.verdict').status).toBe('pass');
        await expectNothingLeft(server);
      }, 90_000);
    }
  });

  describe('the workers give up while the server is down', () => {
    const agents = new Map<Framework, RunningAgent>();
    beforeAll(async () => {
      for (const framework of FRAMEWORKS) {
        const agent = await startAgent({ framework, ...base(), agentName: `gone-${framework}-${id}`, behaviour: 'tone', maxRetry: 2 });
        started.push(agent);
        agents.set(framework, agent);
      }
      // Down until both ran out of retries and exited: observed, not timed.
      await server.restart({ whileDown: () => until('both workers gave up and exited', () => FRAMEWORKS.every((f) => agents.get(f)!.exited()), 60_000) });
    }, 240_000);

    for (const framework of FRAMEWORKS) {
      it(`${framework}: registered before the restart, never after: agent-disconnected from the server log, the endpoint silent`, async () => {
        const agent = agents.get(framework)!;
        expect(agent.logs()).toMatch(/failed to connect to (livekit|LiveKit server)/);
        expect(sinceLastStart(server)).not.toMatch(registrationOf(agent.agentName));
        const run = await doctorJson(server, ['--agent', agent.agentName, '--agent-http', `http://127.0.0.1:${agent.httpPort}`, '--server-log', server.logFile, '--wait', '20']);
        const top = await expectFailure(run, 'agent-disconnected', server);
        expect(top.title).toMatch(new RegExp(`^The server's log: No worker is registered under the exact name "${agent.agentName}".* Worker ${agent.workerId} was registered as "${agent.agentName}" \\(line \\d+\\), but the server restarted after it \\(line \\d+, "starting LiveKit server"\\)`));
        const evidence = top.evidence.join('\n');
        expect(evidence).toMatch(new RegExp(`worker registered\\t.*"agentName": "${agent.agentName}", "workerID": "${agent.workerId}"`));
        expect(evidence).toContain('starting LiveKit server');
        expect(evidence).toMatch(/connection refused/);
        expect(top.fix.text).toMatch(/max_retry \/ maxRetry/);
        expect(top.fromChecks).toEqual(['server-log.verdict', 'agent-http.reachable']);
        const verdict = (run.check('server-log.verdict').evidence?.verdicts as { goneWorkers?: { workerId: string; how: string }[] }[])[0]!;
        expect(verdict.goneWorkers).toEqual([expect.objectContaining({ workerId: agent.workerId, how: 'server-restart' })]);
      }, 90_000);
    }
  });
});
