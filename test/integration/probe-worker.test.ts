import { describe, it, expect } from 'vitest';
import { createServer, type Server } from 'node:net';
import { AgentDispatchClient, RoomServiceClient } from 'livekit-server-sdk';
import type { LiveKitServer } from '../harness/server.js';
import { freeTcpPort } from '../harness/ports.js';
import { ProbeWorker, WorkerError, uniqueProbeName, type ProbeWorkerOptions } from '../../src/livekit/worker/index.js';
import { Timeline } from '../../src/core/timeline.js';
import { startLiveServer, useLiveServer } from '../harness/live-server.js';
import { expectNoSecrets, JWT_HEADER } from '../harness/scenarios.js';
import { startTcpRelay } from '../harness/tcp-relay.js';

let server: LiveKitServer;
const workers: ProbeWorker[] = [];
const rooms = new Set<string>();
useLiveServer({ onStart: (s) => (server = s), rooms, workers });

function makeWorker(overrides: Partial<ProbeWorkerOptions> = {}): ProbeWorker {
  const { key, secret } = server.keys[0]!;
  const worker = new ProbeWorker({
    url: server.url, apiKey: key, apiSecret: secret, agentName: uniqueProbeName(), mode: 'accept', timeline: new Timeline(),
    registerTimeoutMs: 5000, joinTimeoutMs: 10_000, ...overrides,
  });
  workers.push(worker);
  return worker;
}

function api() {
  const { key, secret } = server.keys[0]!;
  return { dispatch: new AgentDispatchClient(server.httpUrl, key, secret), rooms: new RoomServiceClient(server.httpUrl, key, secret) };
}

function roomName(): string {
  const name = `livekit-doctor-test-${Math.random().toString(36).slice(2, 10)}`;
  rooms.add(name);
  return name;
}

const types = (w: { events: { source: string; type: string }[] }) => w.events.filter((e) => e.source === 'probe').map((e) => e.type);

describe('probe worker against a real livekit-server', () => {
  it('registers with an AW_ worker id and reads the server facts', async () => {
    const timeline = new Timeline();
    const worker = makeWorker({ timeline });
    const reg = await worker.start();
    expect(reg.workerId).toMatch(/^AW_/);
    expect(reg.server).toMatchObject({ version: '1.13.5', edition: 'Standard', agentProtocol: 1 });
    expect(reg.server.nodeId).toMatch(/^ND_/);
    expect(reg.atMs).toBeGreaterThanOrEqual(reg.socketOpenAtMs);
    expect(types(timeline)).toEqual(['socket-open', 'registered']);
    await worker.stop();
    expect(types(timeline)).toEqual(['socket-open', 'registered', 'socket-closed']);
    expect(worker.closed?.byServer).toBe(false);
    await worker.stop(); // idempotent
  });

  it('receives a dispatched job, is assigned, joins as an AGENT participant and leaves', async () => {
    const timeline = new Timeline();
    const worker = makeWorker({ timeline, stayMs: Infinity });
    await worker.start();
    const room = roomName();
    const sentAt = timeline.clock.now();
    const dispatch = await api().dispatch.createDispatch(room, worker['opts'].agentName, { metadata: '{"probe":true}' });
    const job = await worker.nextJob(undefined, 10_000);
    expect(job).toBeDefined();
    expect(job).toMatchObject({ dispatchId: dispatch.id, room, metadata: '{"probe":true}', accepted: true, jobType: 'JT_ROOM' });
    expect(job!.participantIdentity).toBe(`livekit-doctor-probe-${job!.jobId}`);
    const latency = job!.requestAtMs - sentAt;
    console.log(`[measured] CreateDispatch → availability request: ${latency.toFixed(1)} ms; answer after ${(job!.answeredAtMs! - job!.requestAtMs).toFixed(1)} ms`);
    expect(latency).toBeGreaterThan(150); // the server's ~200 ms worker-selection window
    expect(job!.answeredAtMs! - job!.requestAtMs).toBeLessThan(50);

    const joined = await worker.waitForStage(job!.jobId, 'joined', undefined, 10_000);
    expect(joined?.joinError).toBeUndefined();
    expect(joined?.assignedAtMs).toBeGreaterThan(job!.answeredAtMs!);
    console.log(`[measured] answer → assignment ${(joined!.assignedAtMs! - job!.answeredAtMs!).toFixed(1)} ms; assignment → joined ${(joined!.joinedAtMs! - joined!.assignedAtMs!).toFixed(1)} ms`);
    const participants = await api().rooms.listParticipants(room);
    const me = participants.find((p) => p.identity === job!.participantIdentity);
    expect(me?.kind).toBe(4);
    expect(me?.attributes['lk.agent.name']).toBe(worker['opts'].agentName);

    await worker.leaveJob(job!.jobId);
    expect(worker.jobs.get(job!.jobId)?.leftAtMs).toBeDefined();
    expect(types(timeline)).toEqual(['socket-open', 'registered', 'availability-request', 'availability-answer', 'assignment', 'joined', 'left']);
    const times = timeline.events.filter((e) => e.source === 'probe').map((e) => e.atMs);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    await api().dispatch.deleteDispatch(dispatch.id, room);
  });

  it('in reject mode answers available:false and is never assigned', async () => {
    const timeline = new Timeline();
    const worker = makeWorker({ timeline, mode: 'reject' });
    await worker.start();
    const room = roomName();
    await api().dispatch.createDispatch(room, worker['opts'].agentName);
    const job = await worker.nextJob(undefined, 10_000);
    expect(job).toMatchObject({ accepted: false, participantIdentity: '' });
    expect(timeline.find('availability-answer', 'probe')?.detail).toMatchObject({ available: false });
    expect(await worker.waitForStage(job!.jobId, 'assigned', undefined, 2000)).toBeUndefined();
    await expect(api().rooms.listParticipants(room)).resolves.toEqual([]);
  });

  it('answering 3.5 s late loses the job: no assignment, no retry', async () => {
    const timeline = new Timeline();
    const worker = makeWorker({ timeline, answerDelayMs: 3500 });
    await worker.start();
    const room = roomName();
    await api().dispatch.createDispatch(room, worker['opts'].agentName);
    const job = await worker.nextJob(undefined, 10_000);
    expect(job).toBeDefined();
    expect(await worker.waitForStage(job!.jobId, 'assigned', undefined, 6000)).toBeUndefined();
    expect(job!.answeredAtMs! - job!.requestAtMs).toBeGreaterThanOrEqual(3490);
    expect(await worker.nextJob(undefined, 500)).toBeUndefined();
    expect(server.log()).toContain('received availability response for unknown job');
  });

  it('classifies a wrong secret and an unknown key without leaking the secret', async () => {
    const wrongSecret = `SECRETLEAKCANARY${'f'.repeat(32)}`;
    const bad = makeWorker({ apiSecret: wrongSecret });
    const err = await bad.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerError);
    expect(err).toMatchObject({ cause: 'bad-signature', status: 401, isConfiguration: true });
    const unknown = makeWorker({ apiKey: 'APIdoesnotexist', apiSecret: server.keys[0]!.secret });
    const err2 = (await unknown.start().catch((e: unknown) => e)) as WorkerError;
    expect(err2).toMatchObject({ cause: 'unknown-api-key', status: 401 });
    for (const e of [err as WorkerError, err2]) {
      const seen = `${e.message} ${e.fix} ${e.stack} ${JSON.stringify(bad['timeline'].events)} ${JSON.stringify(unknown['timeline'].events)}`;
      expectNoSecrets(seen, { patterns: [JWT_HEADER] });
    }
    expect(err2.message).toContain('invalid API key');
  });

  it('classifies refused, TLS and 404 at once', async () => {
    const port = await freeTcpPort();
    const started = performance.now();
    await expect(makeWorker({ url: `ws://127.0.0.1:${port}` }).start()).rejects.toMatchObject({ cause: 'connection-refused' });
    await expect(makeWorker({ url: server.url.replace('ws:', 'wss:') }).start()).rejects.toMatchObject({ cause: 'tls-failure' });
    await expect(makeWorker({ url: `${server.url}/wrong-prefix` }).start()).rejects.toMatchObject({ cause: 'not-found', status: 404 });
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('gives up on a port that accepts but never answers, at its deadline', async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = performance.now();
      await expect(makeWorker({ url: `ws://127.0.0.1:${port}`, registerTimeoutMs: 1500 }).start()).rejects.toMatchObject({ cause: 'timeout' });
      expect(performance.now() - started).toBeLessThan(2500);
    } finally {
      silent.close();
    }
  });

  it('stops waiting for a register reply that never comes (server frozen)', async () => {
    // A loopback relay between the probe and the real server passes the upgrade (101) through and holds every
    // byte after it: the socket opens and the register frame reaches the server, but its reply never reaches
    // the probe, however fast the server sends it.
    const relay = await startTcpRelay({ port: server.port });
    relay.holdAfterUpgrade();
    const timeline = new Timeline();
    const worker = makeWorker({ timeline, url: `ws://127.0.0.1:${relay.port}`, registerTimeoutMs: 1500 });
    const started = performance.now();
    try {
      const err = await worker.start().catch((e: unknown) => e);
      const elapsed = performance.now() - started;
      expect(err).toBeInstanceOf(WorkerError);
      expect(err).toMatchObject({ cause: 'register-timeout', message: 'no register reply within 1500 ms of connecting', isConfiguration: false });
      expect((err as WorkerError).fix).toMatch(/never confirmed the registration/);
      expect(elapsed).toBeGreaterThanOrEqual(1400);
      expect(elapsed).toBeLessThan(2500);
      expect(types(timeline).slice(0, 2)).toEqual(['socket-open', 'error']);
      expect(timeline.find('error', 'probe')?.detail).toMatchObject({ stage: 'register', cause: 'register-timeout' });
      expect(worker.registration).toBeUndefined();
      expect(relay.connections).toBe(1);
      // The register frame went through; what the server sent back was held.
      expect(relay.clientBytesAfterUpgrade).toBeGreaterThan(0);
      await expect.poll(() => relay.heldBytes, { message: 'the server answered the register frame and the relay held it', timeout: 5000 }).toBeGreaterThan(0);
    } finally {
      await relay.close();
    }
    expect(await worker.nextJob(undefined, 5000)).toBeUndefined();
  });
});

describe('probe worker when the server goes away', () => {
  it('reports the socket closed by the server, and waits end at once', async () => {
    const own = await startLiveServer({ keyCount: 1 });
    const timeline = new Timeline();
    const worker = new ProbeWorker({
      url: own.url, apiKey: own.keys[0]!.key, apiSecret: own.keys[0]!.secret, agentName: uniqueProbeName(), mode: 'accept', timeline,
    });
    try {
      await worker.start();
      const waiting = worker.nextJob(undefined, 30_000);
      const closed = new Promise((r) => worker.once('closed', r));
      const stoppedAt = performance.now();
      await own.stop();
      await closed;
      expect(await waiting).toBeUndefined();
      console.log(`[measured] server stop → socket-closed seen after ${(performance.now() - stoppedAt).toFixed(0)} ms`);
      expect(worker.closed?.byServer).toBe(true);
      expect(types(timeline).at(-1)).toBe('socket-closed');
    } finally {
      await worker.stop();
      await own.stop();
    }
  });
});
