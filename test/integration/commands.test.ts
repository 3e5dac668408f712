import { describe, it, expect, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import type { LiveKitServer } from '../harness/server.js';
import { runCli, connectionArgs, type CliRun, type CliOptions } from '../harness/cli.js';
import { useLiveServer } from '../harness/live-server.js';
import { expectNoSecrets, JWT_HEADER } from '../harness/scenarios.js';

type Rtc = typeof import('@livekit/rtc-node');

let server: LiveKitServer;
let rooms: RoomServiceClient;
let rtc: Rtc | undefined;
const joined: import('@livekit/rtc-node').Room[] = [];
const createdRooms = new Set<string>();
const id = randomBytes(3).toString('hex');
const roomName = (what: string) => {
  const name = `livekit-doctor-test-${what}-${id}`;
  createdRooms.add(name);
  return name;
};

/** Runs the CLI against the harness server and checks what must hold for every run. */
async function cli(args: string[], opts: CliOptions & { withConnection?: boolean } = {}): Promise<CliRun> {
  const run = await runCli(opts.withConnection === false ? args : [...args, ...connectionArgs(server)], { timeoutMs: 30_000, ...opts });
  expectNoSecrets(run, server, { patterns: [JWT_HEADER], canary: false });
  expect(run.stdout).not.toMatch(/\u001b\[/);
  return run;
}

/** stdout parsed as one JSON document: fails when anything else is on stdout. */
function json(run: CliRun): any {
  expect(run.stdout.trim().startsWith('{'), `stdout: ${run.stdout}\nstderr: ${run.stderr}`).toBe(true);
  return JSON.parse(run.stdout);
}

/** Joins a room as a real participant (rtc-node); `agentName` makes it an AGENT with the attribute agents set. */
async function joinRoom(room: string, identity: string, agentName?: string, publishAudio = false) {
  if (!rtc) {
    // rtc-node logs debug lines to stdout unless NODE_ENV is production when it loads (vitest sets 'test').
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    rtc = await import('@livekit/rtc-node');
    process.env.NODE_ENV = before;
  }
  const pair = server.keys[0]!;
  const token = new AccessToken(pair.key, pair.secret, { identity, name: `${identity} name`, ttl: '10m' });
  token.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: true, agent: agentName !== undefined });
  if (agentName !== undefined) {
    token.kind = 'agent';
    token.attributes = { 'lk.agent.name': agentName };
  }
  const r = new rtc.Room();
  joined.push(r);
  await Promise.race([
    r.connect(server.url, await token.toJwt(), { autoSubscribe: false, dynacast: false }),
    new Promise((_, reject) => setTimeout(() => reject(new Error('join timed out')), 10_000)),
  ]);
  if (publishAudio) {
    const source = new rtc.AudioSource(48_000, 1);
    const track = rtc.LocalAudioTrack.createAudioTrack('mic', source);
    await r.localParticipant!.publishTrack(track, new rtc.TrackPublishOptions({ source: rtc.TrackSource.SOURCE_MICROPHONE }));
  }
  return r;
}

/** Polls ListParticipants until `n` are there (joining is asynchronous on the server), at most 5 s. */
async function waitForParticipants(room: string, n: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const list = await rooms.listParticipants(room);
    if (list.length >= n && list.every((p) => p.state >= 1)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${room} did not get ${n} participants within 5 s`);
}

useLiveServer({
  onStart: (s) => {
    server = s;
    rooms = new RoomServiceClient(server.httpUrl, server.keys[0]!.key, server.keys[0]!.secret);
  },
});

// Runs before the live server's leftover check and stop: the participants leave, the rooms go.
afterAll(async () => {
  for (const r of joined) await Promise.race([r.disconnect(), new Promise((res) => setTimeout(res, 3000))]).catch(() => {});
  await rtc?.dispose();
  for (const name of createdRooms) await rooms?.deleteRoom(name).catch(() => {});
});

describe('rooms', () => {
  it('says so when no rooms are live, in text and JSON', async () => {
    const text = await cli(['rooms']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('no rooms are live on this server right now');
    const doc = json(await cli(['rooms', '--json']));
    expect(doc).toMatchObject({ schema: 'livekit-doctor/rooms@1', rooms: [] });
  });

  it('lists a room with its counts, age, agents and dispatches (named and automatic)', async () => {
    const room = roomName('rooms');
    expect((await cli(['dispatch', 'create', '--room', room, '--agent-name', 'rooms-agent'])).code).toBe(0);
    await joinRoom(room, 'agent-rooms', 'rooms-agent');
    await joinRoom(room, 'human-rooms', undefined, true);
    await waitForParticipants(room, 2);

    const text = await cli(['rooms']);
    expect(text.code).toBe(0);
    const row = text.stdout.split('\n').find((l) => l.includes(room))!;
    expect(row).toMatch(/│ RM_\w+ +│ 2 +│ 1 +│ \d+s +│ 1: rooms-agent/);
    expect(text.stdout).toContain('automatic dispatch (reaches only workers registered without a name)');
    expect(text.stdout).toContain('rooms-agent');

    const doc = json(await cli(['rooms', '--json']));
    const entry = doc.rooms.find((r: { name: string }) => r.name === room);
    expect(entry).toMatchObject({ numParticipants: 2, numPublishers: 1, countsFrom: 'ListParticipants', agents: [{ identity: 'agent-rooms', agentName: 'rooms-agent' }] });
    expect(entry.sid).toMatch(/^RM_/);
    expect(entry.ageMs).toBeGreaterThanOrEqual(0);
    expect(entry.ageMs).toBeLessThan(120_000);
    expect(entry.dispatches.map((d: { agentName: string; automatic: boolean }) => [d.agentName, d.automatic]).sort()).toEqual([
      ['', true],
      ['rooms-agent', false],
    ]);
  });
});

describe('participants', () => {
  it('marks the agent, its agent name attribute, state, tracks and joined age', async () => {
    const room = roomName('participants');
    await rooms.createRoom({ name: room, emptyTimeout: 60 });
    await joinRoom(room, 'agent-AJ_test', 'voice-bot', true);
    await joinRoom(room, 'caller', undefined, false);
    await waitForParticipants(room, 2);

    const text = await cli(['participants', room]);
    expect(text.code).toBe(0);
    const agentLine = text.stdout.split('\n').find((l) => l.includes('agent-AJ_test'))!;
    expect(agentLine).toMatch(/agent-AJ_test +│ agent-AJ_test name │ AGENT ◆ +│ (JOINED|ACTIVE) +│ audio:microphone +│ \d+s ago +│ voice-bot/);
    const callerLine = text.stdout.split('\n').find((l) => l.includes('caller'))!;
    expect(callerLine).toMatch(/│ STANDARD +│ (JOINED|ACTIVE) +│ none/);
    expect(text.stdout).toContain('2 participants, 1 agent');

    const doc = json(await cli(['participants', room, '--json']));
    expect(doc.schema).toBe('livekit-doctor/participants@1');
    expect(doc.room).toBe(room);
    const agent = doc.participants.find((p: { identity: string }) => p.identity === 'agent-AJ_test');
    expect(agent).toMatchObject({ kind: 'AGENT', isAgent: true, agentName: 'voice-bot', attributes: { 'lk.agent.name': 'voice-bot' } });
    expect(agent.tracks).toEqual([expect.objectContaining({ type: 'audio', source: 'microphone', muted: false })]);
    expect(agent.joinedAgeMs).toBeLessThan(120_000);
    const caller = doc.participants.find((p: { identity: string }) => p.identity === 'caller');
    expect(caller).toMatchObject({ kind: 'STANDARD', isAgent: false, tracks: [] });
    expect(caller.agentName).toBeUndefined();
  });

  it('says an existing room without participants is empty', async () => {
    const room = roomName('empty');
    await rooms.createRoom({ name: room, emptyTimeout: 60 });
    const text = await cli(['participants', room]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`room "${room}" exists but has no participants`);
    expect(json(await cli(['participants', room, '--json']))).toEqual({ schema: 'livekit-doctor/participants@1', room, participants: [] });
  });

  it('a missing room is one clear line on stderr and exit 1, also with --json', async () => {
    for (const extra of [[], ['--json']]) {
      const run = await cli(['participants', `livekit-doctor-missing-${id}`, ...extra]);
      expect(run.code).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim().split('\n')).toEqual([
        `livekit-doctor: ListParticipants: room "livekit-doctor-missing-${id}" does not exist on this server — the room does not exist (or has closed): list rooms with \`livekit-doctor rooms\``,
      ]);
    }
  });
});

describe('dispatch create / list / delete', () => {
  it('creates (noting that it made the room and that any name is accepted), lists with the jobs explained, deletes', async () => {
    const room = roomName('dispatch');
    const created = await cli(['dispatch', 'create', '--room', room, '--agent-name', 'no-such-worker', '--metadata', '{"k":1}']);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain('accepts a dispatch to any agent name, also one no worker registered');
    expect(created.stderr).toContain(`room "${room}" did not exist; the dispatch created it`);
    const dispatchId = /dispatch (AD_\w+) created: agent "no-such-worker" → room/.exec(created.stdout)?.[1];
    expect(dispatchId).toBeDefined();

    const second = json(await cli(['dispatch', 'create', '--room', room, '--agent-name', 'second', '--json']));
    expect(second).toMatchObject({ schema: 'livekit-doctor/dispatch@1', action: 'create', room, roomExisted: true, dispatch: { agentName: 'second', room } });
    expect(second.dispatch.id).toMatch(/^AD_/);

    const list = await cli(['dispatch', 'list', '--room', room]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`${dispatchId}  agent "no-such-worker"`);
    expect(list.stdout).toContain('metadata: {"k":1}');
    expect(list.stdout).toContain('automatic dispatch (reaches only workers registered without a name)');
    expect(list.stdout).toContain('jobs: none — the server reports no jobs for this dispatch (self-hosted livekit-server never lists them)');

    const listed = json(await cli(['dispatch', 'list', '--room', room, '--json']));
    expect(listed.schema).toBe('livekit-doctor/dispatch@1');
    expect(listed.dispatches.map((d: { agentName: string }) => d.agentName).sort()).toEqual(['', 'no-such-worker', 'second']);
    for (const d of listed.dispatches) {
      expect(d.jobs).toEqual([]);
      expect(d.jobsMeaning).toMatch(/never lists them/);
    }

    const deleted = await cli(['dispatch', 'delete', '--room', room, dispatchId!]);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain(`dispatch ${dispatchId} (agent "no-such-worker") deleted from room "${room}"`);
    const deletedJson = json(await cli(['dispatch', 'delete', '--room', room, second.dispatch.id, '--json']));
    expect(deletedJson).toMatchObject({ action: 'delete', id: second.dispatch.id, agentName: 'second', deleted: true });
    const after = json(await cli(['dispatch', 'list', '--room', room, '--json']));
    expect(after.dispatches.map((d: { agentName: string }) => d.agentName)).toEqual(['']);
  });

  it('delete of an unknown id, and list of a missing room, are one line and exit 1', async () => {
    const room = roomName('dispatch-errors');
    await rooms.createRoom({ name: room, emptyTimeout: 60 });
    const unknown = await cli(['dispatch', 'delete', '--room', room, 'AD_doesnotexist']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe(`livekit-doctor: DeleteDispatch: room "${room}" has no dispatch AD_doesnotexist — list its dispatches with \`livekit-doctor dispatch list --room ${room}\``);
    const missing = await cli(['dispatch', 'list', '--room', `livekit-doctor-missing-${id}`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^livekit-doctor: ListDispatch: room "livekit-doctor-missing-\w+" does not exist on this server — /);
    // ListRooms answers at once; ListDispatch itself would wait ~3 s for a 503.
    expect(missing.durationMs).toBeLessThan(2500);
  });

  it('a missing required option is a usage error (exit 2)', async () => {
    const run = await cli(['dispatch', 'create', '--room', 'x']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("required option '--agent-name <name>' not specified");
  });

  it('has help with examples on every command', async () => {
    for (const args of [['rooms'], ['participants'], ['dispatch'], ['dispatch', 'create'], ['dispatch', 'list'], ['dispatch', 'delete']]) {
      const run = await cli([...args, '--help'], { withConnection: false });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/Examples:\n {2}\$ livekit-doctor /);
    }
  });
});

describe('rooms on a server with many rooms', () => {
  it('fetches agents and dispatches for the first 50 rooms only, and says so', async () => {
    const names = Array.from({ length: 52 }, (_, i) => roomName(`many-${String(i).padStart(2, '0')}`));
    await Promise.all(names.map((name) => rooms.createRoom({ name, emptyTimeout: 60 })));
    const run = await cli(['rooms', '--json']);
    const doc = json(run);
    const total = doc.rooms.length;
    expect(total).toBeGreaterThanOrEqual(52);
    expect(doc.detailLimit).toBe(50);
    expect(doc.roomsWithoutDetails).toBe(total - 50);
    expect(doc.rooms.filter((r: { dispatches?: unknown }) => r.dispatches !== undefined)).toHaveLength(50);
    expect(doc.rooms.filter((r: { countsFrom: string }) => r.countsFrom === 'ListRooms')).toHaveLength(total - 50);
    const text = await cli(['rooms']);
    expect(text.stdout).toContain(`agents and dispatches shown for the first 50 rooms only; ${total - 50} more marked "?"`);
    expect(run.durationMs).toBeLessThan(10_000);
    await Promise.all(names.map((name) => rooms.deleteRoom(name).then(() => createdRooms.delete(name))));
  });
});

describe('config', () => {
  it('shows each value with its source, the key masked, the secret never', async () => {
    const pair = server.keys[1]!;
    const cwd = mkdtempSync(join(tmpdir(), 'lkd-config-'));
    writeFileSync(join(cwd, '.env'), `# from the agent project\nLIVEKIT_API_SECRET="${pair.secret}"\n`);
    const env = { LIVEKIT_API_KEY: pair.key };
    const text = await cli(['config', '--url', server.url], { cwd, env, withConnection: false });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(new RegExp(`│ url +│ ${server.url.replace(/[.]/g, '\\.')} +│ flag --url`));
    expect(text.stdout).toMatch(new RegExp(`│ apiKey +│ ${pair.key.slice(0, 4)}… +│ env LIVEKIT_API_KEY`));
    expect(text.stdout).toMatch(/│ apiSecret +│ \(set, \d+ chars, not shown\) │ LIVEKIT_API_SECRET in .*\.env line 2/);
    expect(text.stdout).not.toContain(pair.key);

    const doc = json(await cli(['config', '--url', server.url, '--json'], { cwd, env, withConnection: false }));
    expect(doc.schema).toBe('livekit-doctor/config@1');
    expect(doc.valid).toBe(true);
    expect(doc.settings.apiKey).toEqual({ shown: `${pair.key.slice(0, 4)}…`, from: 'env LIVEKIT_API_KEY' });
    expect(doc.settings.url.from).toBe('flag --url');
    expect(doc.settings.apiSecret.from).toMatch(/^LIVEKIT_API_SECRET in .*\.env line 2$/);
    expect(doc.filesRead).toEqual([join(cwd, '.env')].map((p) => expect.stringContaining(p.split('/').pop()!)));
    expect(JSON.stringify(doc)).not.toContain(pair.key);
  });

  it('exits 2 and names the problem when a setting is unusable', async () => {
    const run = await cli(['config', '--url', 'my-project.livekit.cloud', '--api-key', 'APIx', '--json'], { withConnection: false });
    expect(run.code).toBe(2);
    const doc = json(run);
    expect(doc.valid).toBe(false);
    expect(doc.problems.map((p: { message: string }) => p.message).join('\n')).toMatch(/has no scheme; write wss:\/\/my-project\.livekit\.cloud[\s\S]*no API secret is set/);
  });
});
