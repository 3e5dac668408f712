import { describe, it, expect } from 'vitest';
import { RoomServiceClient } from 'livekit-server-sdk';
import { type LiveKitServer } from '../harness/server.js';
import { runCli, connectionArgs } from '../harness/cli.js';
import { ProbeWorker, uniqueProbeName } from '../../src/livekit/worker/index.js';
import { joinRoom } from '../../src/livekit/participant.js';
import { Timeline } from '../../src/core/timeline.js';
import { useLiveServer } from '../harness/live-server.js';
import { expectNoSecrets } from '../harness/scenarios.js';

let server: LiveKitServer;
const rooms = new Set<string>();
const workers: ProbeWorker[] = [];
useLiveServer({ onStart: (s) => (server = s), rooms, workers });

const roomApi = () => new RoomServiceClient(server.httpUrl, server.keys[0]!.key, server.keys[0]!.secret);
const roomName = () => {
  const name = `livekit-doctor-tok-${Math.random().toString(36).slice(2, 10)}`;
  rooms.add(name);
  return name;
};

async function createToken(room: string, extra: string[] = [], keyIndex = 0): Promise<string> {
  const run = await runCli(['token', 'create', '--room', room, '--identity', `user-${room.slice(-4)}`, '--token-only', ...extra, ...connectionArgs(server, keyIndex)]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toContain('secret credential');
  expectNoSecrets(run, server, { canary: false });
  return run.stdout.trim();
}

async function observer(agentName: string): Promise<ProbeWorker> {
  const { key, secret } = server.keys[0]!;
  const w = new ProbeWorker({ url: server.url, apiKey: key, apiSecret: secret, agentName, mode: 'observe', timeline: new Timeline(), registerTimeoutMs: 5000 });
  workers.push(w);
  await w.start();
  return w;
}

describe('token create / inspect against a real livekit-server', () => {
  it('a created token is accepted: the server lists its identity after a join', async () => {
    const room = roomName();
    const jwt = await createToken(room);
    expect(jwt).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    const joined = await joinRoom(server.url, jwt, { timeoutMs: 10_000 });
    try {
      const listed = await roomApi().listParticipants(room);
      expect(listed.map((p) => p.identity)).toEqual([`user-${room.slice(-4)}`]);
    } finally {
      await joined.leave();
    }
  });

  it('--json carries {token, url, identity, room, grants} and the agent dispatch', async () => {
    const room = roomName();
    const run = await runCli(['token', 'create', '--room', room, '--identity', 'alice', '--agent', 'my-agent', '--json', ...connectionArgs(server)]);
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['token', 'url', 'identity', 'room', 'grants']));
    expect(doc).toMatchObject({ url: server.url, identity: 'alice', room, grants: { roomJoin: true, room }, agentDispatches: [{ agentName: 'my-agent' }] });
    expectNoSecrets(run, server, { canary: false });
  });

  it('inspect: valid against this server (exit 0), bad secret (exit 1), another key (named), never printing the token', async () => {
    const room = roomName();
    const jwt = await createToken(room);
    const ok = await runCli(['token', 'inspect', `Bearer ${jwt}`, ...connectionArgs(server)]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^valid token — signature valid/);
    expect(ok.stdout).toContain('local and server clock differ by');
    expect(ok.stdout).toContain(`"${room}" is not live`);

    const bad = await runCli(['token', 'inspect', '-', '--url', server.url, '--api-key', server.keys[0]!.key, '--api-secret', 'SECRETLEAKCANARYwrongwrongwrongwrong00'], { input: `"${jwt}"\n` });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('bad signature');

    const other = await runCli(['token', 'inspect', jwt, ...connectionArgs(server, 1), '--json']);
    expect(other.code).toBe(0);
    const doc = JSON.parse(other.stdout) as { schema: string; signature: { verdict: string; detail: string } };
    expect(doc.schema).toBe('livekit-doctor/token@1');
    expect(doc.signature.verdict).toBe('other-key');
    expect(doc.signature.detail).toContain('issued by another API key / project');

    for (const run of [ok, bad, other]) {
      expectNoSecrets(run, server, { secrets: [jwt.split('.')[2]!], canary: false });
    }
  });

  it('token dispatch into a room that already exists: the warning fires and the agent gets no job', async () => {
    const agentName = uniqueProbeName();
    const worker = await observer(agentName);
    const room = roomName();
    await roomApi().createRoom({ name: room, emptyTimeout: 60 });
    const jwt = await createToken(room, ['--agent', agentName]);

    const inspect = await runCli(['token', 'inspect', jwt, ...connectionArgs(server)]);
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(inspect.stdout).toContain(`room "${room}" is already live`);
    expect(inspect.stdout).toContain(`dispatch of "${agentName}" will be ignored`);

    const joined = await joinRoom(server.url, jwt, { timeoutMs: 10_000 });
    try {
      const job = await worker.nextJob(undefined, 3000);
      expect(job).toBeUndefined();
    } finally {
      await joined.leave();
    }
  });

  it('the same token dispatch into a fresh room: the join creates the room and the probe gets the job', async () => {
    const agentName = uniqueProbeName();
    const worker = await observer(agentName);
    const room = roomName();
    const jwt = await createToken(room, ['--agent', agentName]);
    const inspect = await runCli(['token', 'inspect', jwt, ...connectionArgs(server)]);
    expect(inspect.stdout).not.toContain('already live');
    const joined = await joinRoom(server.url, jwt, { timeoutMs: 10_000 });
    try {
      const job = await worker.nextJob(undefined, 10_000);
      expect(job?.room).toBe(room);
      expect(job?.agentName).toBe(agentName);
    } finally {
      await joined.leave();
    }
  });

  it('usage errors: no token, --agent-metadata without --agent (exit 2); not a JWT is an invalid token (exit 1, as --help says)', async () => {
    const empty = await runCli(['token', 'inspect', '-'], { input: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no token given');
    const junk = await runCli(['token', 'inspect', 'hello']);
    expect(junk.code).toBe(1);
    expect(junk.stderr).toContain('not a JWT');
    const meta = await runCli(['token', 'create', '--room', 'r', '--identity', 'i', '--agent-metadata', 'x', ...connectionArgs(server)]);
    expect(meta.code).toBe(2);
  });
});
