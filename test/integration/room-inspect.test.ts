import { describe, it, expect } from 'vitest';
import { AccessToken, AgentDispatchClient, RoomAgentDispatch, RoomConfiguration, RoomServiceClient } from 'livekit-server-sdk';
import { type LiveKitServer } from '../harness/server.js';
import { runCli, connectionArgs } from '../harness/cli.js';
import { ProbeWorker, uniqueProbeName } from '../../src/livekit/worker/index.js';
import { Timeline } from '../../src/core/timeline.js';
import { useLiveServer } from '../harness/live-server.js';
import { expectNoSecrets, JWT_LIKE, type ReportJson } from '../harness/scenarios.js';

let lk: LiveKitServer;
const rooms = new Set<string>();
const workers: ProbeWorker[] = [];
useLiveServer({ onStart: (s) => (lk = s), rooms, workers });
const api = () => {
  const { key, secret } = lk.keys[0]!;
  return { rooms: new RoomServiceClient(lk.httpUrl, key, secret), dispatch: new AgentDispatchClient(lk.httpUrl, key, secret) };
};
const roomName = (tag: string) => {
  const name = `livekit-doctor-${tag}-${Math.random().toString(36).slice(2, 8)}`;
  rooms.add(name);
  return name;
};

async function inspectRoom(args: string[]): Promise<ReportJson> {
  const run = await runCli(['check', '--only', 'room', ...connectionArgs(lk), '--json', ...args]);
  expectNoSecrets(run, lk, { patterns: [JWT_LIKE], canary: false });
  return JSON.parse(run.stdout) as ReportJson;
}
const room = (r: ReportJson) => r.checks.find((c) => c.id === 'room.inspect')!;

describe('check --room against a real livekit-server', () => {
  it('an existing room and a token that dispatches an agent into it: the dispatch was ignored', async () => {
    const name = roomName('user');
    await api().rooms.createRoom({ name, emptyTimeout: 120, departureTimeout: 15 });
    const at = new AccessToken(lk.keys[0]!.key, lk.keys[0]!.secret, { identity: 'user-1', ttl: '10m' });
    at.addGrant({ roomJoin: true, room: name });
    at.roomConfig = new RoomConfiguration({ agents: [new RoomAgentDispatch({ agentName: 'support-bot' })] });
    const report = await inspectRoom(['--room', name, '--token', await at.toJwt()]);
    const c = room(report);
    expect(c.status).toBe('fail');
    expect(c.cause).toBe('room-existed-before-token-dispatch');
    expect(c.summary).toContain(`room "${name}" exists, so the token's dispatch of "support-bot" was ignored: ListDispatch shows no dispatch for "support-bot"`);
    expect(c.details!.join('\n')).toContain('empty timeout 120 s, departure timeout 15 s');
    expect(report.findings.map((f) => f.cause)).toContain('room-existed-before-token-dispatch');
    expect(report.exitCode).toBe(1);
  });

  it('the dispatch went to a different room: named, with the agent sitting there; that room itself passes', async () => {
    const agentName = uniqueProbeName();
    const { key, secret } = lk.keys[0]!;
    const worker = new ProbeWorker({ url: lk.url, apiKey: key, apiSecret: secret, agentName, mode: 'accept', timeline: new Timeline(), registerTimeoutMs: 5000, stayMs: Infinity });
    workers.push(worker);
    await worker.start();
    const userRoom = roomName('user');
    const backendRoom = roomName('backend');
    await api().rooms.createRoom({ name: userRoom, emptyTimeout: 60 });
    await api().dispatch.createDispatch(backendRoom, agentName);
    const job = await worker.nextJob(undefined, 10_000);
    expect(job?.room).toBe(backendRoom);
    expect(await worker.waitForStage(job!.jobId, 'joined', undefined, 10_000)).toBeDefined();

    const report = await inspectRoom(['--room', userRoom, '--dispatch-room', backendRoom]);
    const c = room(report);
    expect(c.cause).toBe('dispatch-other-room');
    expect(c.summary).toBe(`the dispatch went to room "${backendRoom}" but the user is in "${userRoom}"; agent "${agentName}" sits in "${backendRoom}"`);
    expect(report.findings[0]!.cause).toBe('dispatch-other-room');

    const there = room(await inspectRoom(['--room', backendRoom, '--agent', agentName, '--skip', 'agent']));
    expect(there.status).toBe('pass');
    expect(there.summary).toContain(`has agent "${agentName}"`);
    expect(there.details!.some((d) => d.startsWith(`dispatch `) && d.includes(`"${agentName}"`))).toBe(true);
  });

  it('the room was recreated after the dispatch: the dispatch died with the earlier room', async () => {
    const name = roomName('re');
    const dispatchedAt = Date.now();
    await api().dispatch.createDispatch(name, 'support-bot');
    await api().rooms.deleteRoom(name);
    await new Promise((r) => setTimeout(r, 2_600));
    await api().rooms.createRoom({ name, emptyTimeout: 60 });
    const report = await inspectRoom(['--room', name, '--dispatched-at', new Date(dispatchedAt).toISOString()]);
    const c = room(report);
    expect(c.cause).toBe('room-recreated-after-dispatch');
    expect(c.summary).toMatch(new RegExp(`room "${name}" was \\(re\\)created at .+, after the dispatch at ${new Date(dispatchedAt).toISOString()}`));
    expect(report.findings.map((f) => f.cause)).toContain('room-recreated-after-dispatch');
  });

  it('a room that is not live: a warning, not a failure', async () => {
    const report = await inspectRoom(['--room', 'livekit-doctor-never-created']);
    expect(room(report).status).toBe('warn');
    expect(room(report).cause).toBe('room-not-live');
    expect(report.exitCode).toBe(0);
  });
});
