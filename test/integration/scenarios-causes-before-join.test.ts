/**
 * Causes before the join (issue 14), each reproduced with a real framework: an unnamed worker (Python and
 * Node), a worker frozen by its host (SIGSTOP while the job is offered, SIGCONT later), a doubly dispatched
 * agent in the user's room (--room). Each asserts the top finding and its evidence, and nothing left behind.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { AgentDispatchClient, RoomServiceClient } from 'livekit-server-sdk';
import type { LiveKitServer } from '../harness/server.js';
import { startAgent, type RunningAgent } from '../harness/agents.js';
import { useLiveServer } from '../harness/live-server.js';
import { doctorJson, describeRun, expectFailure, uniqueId } from '../harness/scenarios.js';

describe('causes before the join', () => {
  let server: LiveKitServer;
  const started: RunningAgent[] = [];
  let unnamedPy: RunningAgent;
  let unnamedNode: RunningAgent;
  let frozen: RunningAgent;
  let twice: RunningAgent;
  const id = uniqueId();
  useLiveServer({ onStart: (s) => (server = s) });

  beforeAll(async () => {
    const base = { url: server.url, apiKey: server.keys[0]!.key, apiSecret: server.keys[0]!.secret };
    const all = await Promise.all([
      startAgent({ framework: 'python', ...base, agentName: '', behaviour: 'silent' }),
      startAgent({ framework: 'node', ...base, agentName: '', behaviour: 'silent' }),
      startAgent({ framework: 'python', ...base, agentName: `frozen-${id}`, behaviour: 'tone' }),
      startAgent({ framework: 'node', ...base, agentName: `twice-${id}`, behaviour: 'silent' }),
    ]);
    started.push(...all);
    [unnamedPy, unnamedNode, frozen, twice] = all;
  }, 240_000);
  afterAll(async () => {
    await Promise.all(started.map((a) => a.stop().catch(() => {})));
  });

  for (const which of ['python', 'node'] as const) {
    it(`unnamed ${which} worker, explicit dispatch of X: agent-unnamed from the endpoint and the server log`, async () => {
      const agent = which === 'python' ? unnamedPy : unnamedNode;
      const run = await doctorJson(server, ['--agent', `wanted-${id}`, '--agent-http', `http://127.0.0.1:${agent.httpPort}`, '--server-log', server.logFile, '--wait', '30']);
      const top = await expectFailure(run, 'agent-unnamed', server);
      expect(run.check('agent-http.name').cause, describeRun(run)).toBe('agent-unnamed');
      expect(run.check('agent-http.name').summary).toMatch(/registered without a name/);
      expect(top.fix.text).toMatch(/agent_name/);
      // The endpoint decides before the server's cold-cache line; both say the same.
      expect((run.check('agent.job-taken').evidence?.decidedBy as { source: string }).source).toMatch(/agent-http|server-log/);
    }, 90_000);
  }

  it('worker frozen by its host (SIGSTOP while offered, SIGCONT later): worker-frozen naming the host settings', async () => {
    let stopped = false;
    let done = false;
    // Freeze the worker the moment the doctor dispatches it (the CreateDispatch line), resume 6 s later.
    const freezer = (async () => {
      for (let i = 0; i < 600 && !done; i++) {
        if (server.log().includes(`"agentName": "frozen-${id}", "room": "livekit-doctor-`)) {
          process.kill(frozen.pid, 'SIGSTOP');
          stopped = true;
          await new Promise((r) => setTimeout(r, 6_000));
          process.kill(frozen.pid, 'SIGCONT');
          return;
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    try {
      const run = await doctorJson(server, ['--agent', `frozen-${id}`, '--agent-http', `http://127.0.0.1:${frozen.httpPort}`, '--server-log', server.logFile, '--wait', '30']);
      done = true;
      await freezer;
      expect(stopped, 'the worker was frozen during the offer').toBe(true);
      const top = await expectFailure(run, 'worker-frozen', server);
      expect(top.fix.text).toMatch(/--no-cpu-throttling/);
      expect(top.evidence.join('\n')).toMatch(/stopped answering/);
      expect((run.check('agent.job-taken').evidence?.decidedBy as { source: string }).source).toBe('server-log');
    } finally {
      done = true;
      await freezer;
      try {
        process.kill(frozen.pid, 'SIGCONT');
      } catch {
        // gone
      }
    }
  }, 90_000);

  it('--room with the agent dispatched twice: duplicate-agents naming both dispatch ids', async () => {
    const { key, secret } = server.keys[0]!;
    const rooms = new RoomServiceClient(server.httpUrl, key, secret);
    const dispatch = new AgentDispatchClient(server.httpUrl, key, secret);
    const room = `user-room-${id}`;
    await rooms.createRoom({ name: room, emptyTimeout: 30 });
    try {
      const a = await dispatch.createDispatch(room, twice.agentName);
      const b = await dispatch.createDispatch(room, twice.agentName);
      for (let i = 0; i < 100 && (await rooms.listParticipants(room)).length < 2; i++) await new Promise((r) => setTimeout(r, 100));
      const run = await doctorJson(server, ['--room', room, '--agent', twice.agentName, '--only', 'room']);
      expect(run.top?.cause, describeRun(run)).toBe('duplicate-agents');
      const text = run.top!.evidence.join('\n');
      expect(text).toContain(a.id);
      expect(text).toContain(b.id);
    } finally {
      await rooms.deleteRoom(room).catch(() => {});
    }
  }, 90_000);
});
