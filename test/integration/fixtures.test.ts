import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AccessToken, AgentDispatchClient, RoomServiceClient } from 'livekit-server-sdk';
import { ParticipantInfo_Kind, TrackType, type ParticipantInfo } from '@livekit/protocol';
import type { LiveKitServer } from '../harness/server.js';
import { startAgent, ensureFixtureInstalled, type AgentFramework, type AgentBehaviour, type RunningAgent } from '../harness/agents.js';
import { useLiveServer } from '../harness/live-server.js';

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

  beforeAll(() => ensureFixtureInstalled(framework));
  useLiveServer({
    onStart: (s) => {
      server = s;
      const { key, secret } = server.keys[0]!;
      rooms = new RoomServiceClient(server.httpUrl, key, secret);
      dispatch = new AgentDispatchClient(server.httpUrl, key, secret);
    },
  });

  // Runs before the live server's leftover check and stop.
  afterAll(async () => {
    for (const agent of agents) await agent.stop().catch(() => {});
    for (const room of createdRooms) await rooms?.deleteRoom(room).catch(() => {});
  });

  async function start(behaviour: AgentBehaviour): Promise<RunningAgent> {
    const { key, secret } = server.keys[0]!;
    const agentName = `fixture-${framework}-${behaviour}-${id()}`;
    const agent = await startAgent({ framework, url: server.url, apiKey: key, apiSecret: secret, agentName, behaviour });
    agents.push(agent);
    console.log(`[fixtures] ${framework} ${behaviour} ${agent.workerId}: registered in ${agent.registerMs} ms`);
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
    const stopStarted = Date.now();
    await agent.stop();
    console.log(`[fixtures] ${framework} ${agent.workerId}: stopped in ${Date.now() - stopStarted} ms`);
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
    console.log(`[fixtures] ${framework}: joined ${joinMs} ms and published audio ${audioMs} ms after dispatch`);
    expect(server.log()).toContain(agent.workerId);
    await finish(agent, room);
  });

  it('crash, reject and silent side by side: the job reaches each worker; only silent joins, with no track', async () => {
    const [crash, reject, silent] = await Promise.all((['crash', 'reject', 'silent'] as const).map(start));
    const [crashRoom, rejectRoom, silentRoom] = await Promise.all([crash, reject, silent].map((a) => dispatchTo(a!)));
    const silentJoined = await agentParticipant(silentRoom!.room, 15_000, (p) => agentNameOf(p) === silent!.agentName);
    expect(silentJoined, 'silent agent joins').toBeDefined();
    const waitUntil = crashRoom!.dispatchedAt + 8_000;
    const [crashed, rejected] = await Promise.all(
      [crashRoom!, rejectRoom!].map(({ room }) => agentParticipant(room, waitUntil - Date.now(), () => true)),
    );
    expect(crashed, 'crash: no agent participant within 8 s').toBeUndefined();
    expect(rejected, 'reject: no agent participant within 8 s').toBeUndefined();
    // The jobs did reach these workers: the absence is the behaviour's doing, not a lost dispatch.
    for (const agent of [crash!, reject!, silent!]) expect(agent.logs()).toContain('received job request');
    const silentNow = await agentParticipant(silentRoom!.room, 1_000, (p) => p.identity === silentJoined!.identity);
    expect(silentNow?.tracks).toEqual([]);
    await Promise.all([
      finish(crash!, crashRoom!.room),
      finish(reject!, rejectRoom!.room),
      finish(silent!, silentRoom!.room),
    ]);
  });

  it('echo: stays quiet until a participant speaks, then publishes audio', async () => {
    const agent = await start('echo');
    const { room } = await dispatchTo(agent);
    const joined = await agentParticipant(room, 15_000, (p) => agentNameOf(p) === agent.agentName);
    expect(joined, 'echo agent joins').toBeDefined();
    await sleep(1_000);
    const beforeSpeech = await agentParticipant(room, 1_000, (p) => p.identity === joined!.identity);
    expect(beforeSpeech?.tracks).toEqual([]);
    const { key, secret } = server.keys[0]!;
    const speaker = await speakInto(server.url, await speakerToken(key, secret, room));
    try {
      const answering = await agentParticipant(room, 10_000, (p) => p.tracks.some((t) => t.type === TrackType.AUDIO));
      expect(answering?.identity, 'echo agent publishes audio after the speaker').toBe(joined!.identity);
    } finally {
      await speaker.stop();
    }
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

afterAll(async () => {
  if (rtcLoaded) await (await import('@livekit/rtc-node')).dispose();
});

let rtcLoaded = false;

async function speakerToken(key: string, secret: string, room: string): Promise<string> {
  const token = new AccessToken(key, secret, { identity: `livekit-doctor-fixture-speaker-${id()}`, ttl: '5m' });
  token.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: false });
  return token.toJwt();
}

/** The 16-bit mono PCM samples of test/fixtures/speech-sample.wav. */
function speechSample(): { samples: Int16Array; sampleRate: number } {
  const wav = readFileSync(fileURLToPath(new URL('../fixtures/speech-sample.wav', import.meta.url)));
  const sampleRate = wav.readUInt32LE(24);
  let offset = 12;
  while (wav.toString('ascii', offset, offset + 4) !== 'data') offset += 8 + wav.readUInt32LE(offset + 4);
  const data = wav.subarray(offset + 8, offset + 8 + wav.readUInt32LE(offset + 4));
  return { samples: new Int16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.length)), sampleRate };
}

/** Joins with @livekit/rtc-node and speaks the sample in a loop until stop() (bounded: 30 s at most). */
async function speakInto(url: string, jwt: string): Promise<{ stop(): Promise<void> }> {
  process.env.NODE_ENV ??= 'production';
  const rtc = await import('@livekit/rtc-node');
  rtcLoaded = true;
  const room = new rtc.Room();
  let timer: NodeJS.Timeout | undefined;
  const connectDeadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('Room.connect took over 10 s')), 10_000);
  });
  try {
    await Promise.race([room.connect(url, jwt, { autoSubscribe: false, dynacast: false }), connectDeadline]);
  } finally {
    clearTimeout(timer);
  }
  const { samples, sampleRate } = speechSample();
  const source = new rtc.AudioSource(sampleRate, 1);
  const track = rtc.LocalAudioTrack.createAudioTrack('speech', source);
  await room.localParticipant!.publishTrack(track, new rtc.TrackPublishOptions({ source: rtc.TrackSource.SOURCE_MICROPHONE }));
  const frameSamples = sampleRate / 100;
  let speaking = true;
  const until = Date.now() + 30_000;
  const loop = (async () => {
    while (speaking && Date.now() < until) {
      for (let at = 0; speaking && at + frameSamples <= samples.length; at += frameSamples) {
        await source.captureFrame(new rtc.AudioFrame(samples.slice(at, at + frameSamples), sampleRate, 1, frameSamples));
      }
    }
  })();
  return {
    async stop() {
      speaking = false;
      await loop.catch(() => {});
      await track.close();
      await source.close();
      await room.disconnect();
    },
  };
}
