import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server, type IncomingMessage, type ServerResponse } from 'node:http';
import { AccessToken, RoomAgentDispatch, RoomConfiguration, RoomServiceClient } from 'livekit-server-sdk';
import type { LiveKitServer } from '../harness/server.js';
import { runCli, connectionArgs } from '../harness/cli.js';
import { ProbeWorker, uniqueProbeName } from '../../src/livekit/worker/index.js';
import { Timeline } from '../../src/core/timeline.js';
import { useLiveServer } from '../harness/live-server.js';
import { expectNoSecrets, JWT_LIKE, type ReportJson } from '../harness/scenarios.js';

let lk: LiveKitServer;
let app: Server;
let appUrl: string;
const workers: ProbeWorker[] = [];
const openSockets = new Set<import('node:net').Socket>();
/** What the app's endpoint mints next: room and agent, set per test. */
let next: { room: string; agent?: string } = { room: 'livekit-doctor-unused' };
let lastBody = '';

async function mint(): Promise<string> {
  const { key, secret } = lk.keys[0]!;
  const at = new AccessToken(key, secret, { identity: `livekit-doctor-user-${Math.random().toString(36).slice(2, 8)}`, ttl: '10m' });
  at.addGrant({ roomJoin: true, room: next.room, canPublish: true, canSubscribe: true });
  if (next.agent) at.roomConfig = new RoomConfiguration({ agents: [new RoomAgentDispatch({ agentName: next.agent })] });
  return at.toJwt();
}

/** The app's backend, as small as it gets: one route per answer shape and failure. */
async function handle(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  let body = '';
  for await (const chunk of req) body += chunk;
  lastBody = body;
  const json = (status: number, doc: unknown): unknown => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
  switch (req.url) {
    case '/standard': return json(200, { server_url: lk.url, participant_token: await mint() });
    case '/token': return json(200, { token: await mint() });
    case '/access': return json(200, { accessToken: await mint() });
    case '/post': return req.method === 'POST' && JSON.parse(body).room_name ? json(200, { server_url: lk.url, participant_token: await mint() }) : json(400, { error: 'POST a room_name' });
    case '/401': return json(401, { error: 'not logged in' });
    case '/500': return res.writeHead(500, { 'content-type': 'text/plain' }).end('Error: LIVEKIT_API_KEY is not set');
    case '/html': return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><body>Sign in</body></html>');
    case '/empty': return json(200, { ok: true });
    case '/slow': return; // never answers; closed in afterAll
    default: return json(404, { error: 'no route' });
  }
}

function observer(agentName: string, mode: 'accept' | 'observe'): ProbeWorker {
  const { key, secret } = lk.keys[0]!;
  const w = new ProbeWorker({ url: lk.url, apiKey: key, apiSecret: secret, agentName, mode, timeline: new Timeline(), registerTimeoutMs: 5000, stayMs: Infinity });
  workers.push(w);
  return w;
}

async function check(path: string, extra: string[] = [], only = 'token'): Promise<{ report: ReportJson; stdout: string; stderr: string; code: number | null }> {
  const run = await runCli(['check', '--only', only, '--token-endpoint', `${appUrl}${path}`, ...connectionArgs(lk), '--json', ...extra]);
  expectNoSecrets(run, lk, { patterns: [JWT_LIKE], canary: false });
  return { report: JSON.parse(run.stdout) as ReportJson, stdout: run.stdout, stderr: run.stderr, code: run.code };
}
const byId = (r: ReportJson, id: string) => r.checks.find((c) => c.id === id)!;

useLiveServer({ onStart: (s) => (lk = s), workers });

beforeAll(async () => {
  app = createServer((req, res) => void handle(req, res));
  app.on('connection', (s) => {
    openSockets.add(s);
    s.on('close', () => openSockets.delete(s));
  });
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  appUrl = `http://127.0.0.1:${(app.address() as import('node:net').AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of openSockets) s.destroy();
  await new Promise((r) => app?.close(r));
});

describe('check --token-endpoint against a real livekit-server', () => {
  it.each([
    ['/standard', 'livekit-standard'],
    ['/token', 'token'],
    ['/access', 'accessToken'],
  ])('%s: the answer shape is read and the token is valid', async (path, shape) => {
    next = { room: 'livekit-doctor-shape' };
    const { report } = await check(path, [], 'token.valid');
    expect(byId(report, 'token.endpoint').status).toBe('pass');
    expect(byId(report, 'token.endpoint').summary).toContain(`(${shape} shape`);
    expect(byId(report, 'token.valid').status).toBe('pass');
    expect(byId(report, 'token.valid').summary).toContain('signature valid');
  });

  it('POST with --token-endpoint-body sends the body', async () => {
    next = { room: 'livekit-doctor-post' };
    const { report } = await check('/post', ['--token-endpoint-body', '{"room_name":"livekit-doctor-post"}'], 'token.valid');
    expect(JSON.parse(lastBody)).toEqual({ room_name: 'livekit-doctor-post' });
    expect(byId(report, 'token.endpoint').summary).toMatch(/^POST answered 200/);
  });

  it.each([
    ['/401', 'endpoint-unauthorized', 'refused the request (HTTP 401)'],
    ['/500', 'endpoint-server-error', 'failed (HTTP 500): "Error: LIVEKIT_API_KEY is not set"'],
    ['/html', 'endpoint-not-json', 'with text/html, not JSON'],
    ['/empty', 'endpoint-no-token', 'JSON without a token (keys: ok)'],
    ['/nothing-here', 'endpoint-not-found', 'HTTP 404'],
  ])('%s → one clear line (%s)', async (path, cause, text) => {
    const { report, code } = await check(path, [], 'token.valid');
    const c = byId(report, 'token.endpoint');
    expect(c.status).toBe('fail');
    expect(c.cause).toBe(cause);
    expect(c.summary).toContain(text);
    expect(byId(report, 'token.valid').status).toBe('skip');
    expect(report.findings.map((f) => f.cause)).toContain(cause);
    expect(code).toBe(1);
  });

  it('a hanging endpoint times out at --timeout', async () => {
    const started = Date.now();
    const { report } = await check('/slow', ['--timeout', '1'], 'token.valid');
    const c = byId(report, 'token.endpoint');
    expect(c.cause).toBe('endpoint-timeout');
    expect(c.summary).toContain('did not answer within 1.0 s');
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it('the full path: endpoint → token → join → the agent the token dispatches joins; the room the join created is removed', async () => {
    const agent = uniqueProbeName();
    await observer(agent, 'accept').start();
    next = { room: `livekit-doctor-e2e-${Math.random().toString(36).slice(2, 8)}`, agent };
    const { report, code } = await check('/standard', ['--wait', '10']);
    expect(code).toBe(0);
    expect(report.checks.filter((c) => c.id.startsWith('token.')).map((c) => [c.id, c.status])).toEqual([
      ['token.endpoint', 'pass'],
      ['token.valid', 'pass'],
      ['token.dispatch', 'pass'],
      ['token.agent-joined', 'pass'],
    ]);
    expect(byId(report, 'token.dispatch').summary).toContain(`dispatches "${agent}" into room "${next.room}", which is not live yet`);
    expect(byId(report, 'token.agent-joined').summary).toMatch(new RegExp(`agent "${agent}" \\(.+\\) joined \\d+ ms after`));
    expect(byId(report, 'cleanup').status).toBe('pass');
    const rooms = new RoomServiceClient(lk.httpUrl, lk.keys[0]!.key, lk.keys[0]!.secret);
    expect(await rooms.listRooms([next.room])).toEqual([]);
  });

  it('the room already exists: the dispatch is ignored, no agent comes, and the user\'s room is left alone', async () => {
    const agent = uniqueProbeName();
    const worker = observer(agent, 'observe');
    await worker.start();
    const room = `livekit-doctor-pre-${Math.random().toString(36).slice(2, 8)}`;
    const rooms = new RoomServiceClient(lk.httpUrl, lk.keys[0]!.key, lk.keys[0]!.secret);
    await rooms.createRoom({ name: room, emptyTimeout: 60 });
    try {
      next = { room, agent };
      const { report, code } = await check('/standard', ['--wait', '3']);
      expect(code).toBe(1);
      expect(byId(report, 'token.dispatch').status).toBe('warn');
      expect(byId(report, 'token.dispatch').cause).toBe('token-room-already-live');
      const joined = byId(report, 'token.agent-joined');
      expect(joined.status).toBe('fail');
      expect(joined.cause).toBe('token-dispatch-ignored-room-existed');
      expect(report.findings[0]!.cause).toBe('token-dispatch-ignored-room-existed');
      expect(report.findings.map((f) => f.cause)).not.toContain('token-room-already-live');
      expect(await worker.nextJob(undefined, 200)).toBeUndefined();
      expect((await rooms.listRooms([room])).map((r) => r.name)).toEqual([room]);
    } finally {
      await rooms.deleteRoom(room).catch(() => {});
    }
  });

  it('a token that names no agent and no worker: no-dispatch-for-room', async () => {
    next = { room: `livekit-doctor-none-${Math.random().toString(36).slice(2, 8)}` };
    const { report } = await check('/token', ['--wait', '2']);
    expect(byId(report, 'token.dispatch').cause).toBe('token-no-agent-dispatch');
    expect(byId(report, 'token.agent-joined').cause).toBe('no-dispatch-for-room');
  });
});
