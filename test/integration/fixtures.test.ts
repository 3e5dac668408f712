import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { AgentDispatchClient, RoomServiceClient } from 'livekit-server-sdk';
import { ParticipantInfo_Kind, TrackType, type ParticipantInfo } from '@livekit/protocol';
import { startLiveKitServer, type LiveKitServer } from '../harness/server.js';
import { startAgent, ensureFixtureInstalled, type AgentFramework, type AgentBehaviour, type RunningAgent } from '../harness/agents.js';
import { doctorLeftovers } from '../harness/leftovers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const id = () => randomBytes(4).toString('hex');

function agentNameOf(p: ParticipantInfo): string | undefined {
  return p.attributes['lk.agent.name'] ?? p.attributes['lk.agent_name'];
}

describe.each<AgentFramework>(['node', 'python'])('%s fixture agent on a real livekit-server', (framework) => {
  let server: LiveKitServer;
  let rooms: RoomServiceClient;
  let dispatch: AgentDispatchClient;
  const createdRooms: string[] = [];
  const agents: RunningAgent[] = [];

  beforeAll(async () => {
    ensureFixtureInstalled(framework);
    server = await startLiveKitServer();
    const { key, secret } = server.keys[0]!;
    rooms = new RoomServiceClient(server.httpUrl, key, secret);
    dispatch = new AgentDispatchClient(server.httpUrl, key, secret);
  });

  afterAll(async () => {
    for (const agent of agents) await agent.stop().catch(() => {});
    for (const room of createdRooms) await rooms?.deleteRoom(room).catch(() => {});
    if (server) {
      expect(await doctorLeftovers(server)).toEqual({ rooms: [], dispatches: [] });
      await server.stop();
    }
  });

  async function start(behaviour: AgentBehaviour): Promise<RunningAgent> {
    const { key, secret } = server.keys[0]!;
    const agentName = `fixture-${framework}-${behaviour}-${id()}`;
    const agent = await startAgent({ framework, url: server.url, apiKey: key, apiSecret: secret, agentName, behaviour });
    agents.push(agent);
    return agent;
  }

  async function dispatchTo(agent: RunningAgent): Promise<{ room: string; dispatchedAt: number }> {
    const room = `livekit-doctor-fixture-${id()}`;
    createdRooms.push(room);
    const dispatchedAt = Date.now();
    await dispatch.createDispatch(room, agent.agentName);
    return { room, dispatchedAt };
  }

  /** Polls ListParticipants (bounded) until `accept` returns true for an agent participant; undefined when time runs out. */
  async function agentParticipant(room: string, withinMs: number, accept: (p: ParticipantInfo) => boolean) {
    const deadline = Date.now() + withinMs;
    while (Date.now() < deadline) {
      const participants = await rooms.listParticipants(room).catch(() => [] as ParticipantInfo[]);
      const agent = participants.find((p) => p.kind === ParticipantInfo_Kind.AGENT && accept(p));
      if (agent) return agent;
      await sleep(100);
    }
    return undefined;
  }

  async function finish(agent: RunningAgent, room: string) {
    await rooms.deleteRoom(room).catch(() => {});
    await agent.stop();
    // The whole process group is gone, job processes included.
    expect(() => process.kill(-agent.pid, 0)).toThrow();
    expect(agent.logs()).not.toContain(server.keys[0]!.secret);
  }

  it('tone: registers, answers /worker, joins as an AGENT participant and publishes audio', async () => {
    const agent = await start('tone');
    expect(agent.workerId).toMatch(/^AW_/);
    const health = await fetch(`http://127.0.0.1:${agent.httpPort}/`, { signal: AbortSignal.timeout(3000) });
    expect(health.status).toBe(200);
    const worker = await fetch(`http://127.0.0.1:${agent.httpPort}/worker`, { signal: AbortSignal.timeout(3000) });
    expect(await worker.json()).toMatchObject({ agent_name: agent.agentName, worker_type: 'JT_ROOM' });

    const { room, dispatchedAt } = await dispatchTo(agent);
    const joined = await agentParticipant(room, 15_000, (p) => agentNameOf(p) === agent.agentName);
    const joinMs = Date.now() - dispatchedAt;
    expect(joined, 'agent participant within 15 s').toBeDefined();
    const publishing = await agentParticipant(room, 10_000, (p) => p.tracks.some((t) => t.type === TrackType.AUDIO));
    const audioMs = Date.now() - dispatchedAt;
    expect(publishing?.identity).toBe(joined!.identity);
    console.log(`[fixtures] ${framework}: registered in ${agent.registerMs} ms, joined ${joinMs} ms and published audio ${audioMs} ms after dispatch`);
    expect(server.log()).toContain(agent.workerId);
    await finish(agent, room);
  });

  it.each<AgentBehaviour>(['crash', 'reject'])('%s: takes the job request but no agent joins within 8 s', async (behaviour) => {
    const agent = await start(behaviour);
    const { room } = await dispatchTo(agent);
    expect(await agentParticipant(room, 8_000, () => true)).toBeUndefined();
    // The job did reach this worker: the absence is the behaviour's doing, not a lost dispatch.
    expect(agent.logs()).toContain('received job request');
    await finish(agent, room);
  });

  it('full: the server finds no worker with capacity', async () => {
    const agent = await start('full');
    const { room } = await dispatchTo(agent);
    const noCapacity = new RegExp(`failed to send job request.*no servers available.*"agentName": "${agent.agentName}"`);
    const deadline = Date.now() + 10_000;
    while (!noCapacity.test(server.log()) && Date.now() < deadline) await sleep(200);
    expect(server.log()).toMatch(noCapacity);
    expect(agent.logs()).not.toContain('received job request');
    await finish(agent, room);
  });
});
