import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { makeKeyPair, type LiveKitServer } from '../harness/server.js';
import { runCli, type CliRun } from '../harness/cli.js';
import { freeTcpPort } from '../harness/ports.js';
import { useLiveServer } from '../harness/live-server.js';
import { expectNoSecrets, JWT_HEADER, type SecretScan } from '../harness/scenarios.js';

/**
 * Every failure class through the built CLI: one line on stderr naming the cause and the fix, the
 * documented exit code, no stack trace, and never the secret (the server echoes whole tokens in 401s).
 */
let server: LiveKitServer;
let silent: TcpServer;
const silentSockets = new Set<Socket>();
let failing: HttpServer;
const strangerPair = makeKeyPair('stranger');
const wrongSecret = makeKeyPair('wrong').secret;
/** Scanned for besides the server's own secrets: the pairs the tests pass, and any JWT. */
const passedSecrets: SecretScan = { secrets: [strangerPair.secret, wrongSecret], patterns: [JWT_HEADER], canary: false };

const TIMEOUT_S = 3;
/** Process start and teardown on a busy 2-core machine. */
const SLACK_MS = 2500;

function listening(srv: TcpServer | HttpServer): Promise<number> {
  return new Promise((resolve) =>
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      resolve(typeof addr === 'object' && addr ? addr.port : 0);
    }),
  );
}
let silentPort = 0;
let failingPort = 0;

useLiveServer({ onStart: (s) => (server = s) });

beforeAll(async () => {
  // Accepts the connection and never answers: only a deadline ends the call.
  silent = createTcpServer((socket) => {
    silentSockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => silentSockets.delete(socket));
  });
  silentPort = await listening(silent);
  // Answers 500 and echoes the Authorization header, as some proxies do: the token must not leak.
  failing = createHttpServer((req, res) => {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`upstream failed for ${req.headers.authorization ?? ''}`);
  });
  failingPort = await listening(failing);
});

afterAll(async () => {
  for (const s of silentSockets) s.destroy();
  await Promise.all([new Promise((r) => silent?.close(r)), new Promise((r) => failing?.close(r))]);
});

function args(url: string, key: string, secret: string, extra: string[] = []): string[] {
  return ['rooms', '--url', url, '--api-key', key, '--api-secret', secret, '--timeout', String(TIMEOUT_S), ...extra];
}

/** What every failure run must look like. */
function expectOneCleanLine(run: CliRun, exitCode: number, line: RegExp, deadlineMs = TIMEOUT_S * 1000): void {
  expect(run.code, run.stderr).toBe(exitCode);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^livekit-doctor: /);
  expect(lines[0]).toMatch(line);
  expect(lines[0]).toMatch(/ — \S/); // the fix follows the cause
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expectNoSecrets(run, server, passedSecrets);
  expect(run.durationMs).toBeLessThan(deadlineMs + SLACK_MS);
}

describe('failure classes, each against a real server or a real socket', () => {
  it('unknown API key (a pair the server does not have) → exit 2', async () => {
    const run = await runCli(args(server.url, strangerPair.key, strangerPair.secret));
    expectOneCleanLine(run, 2, /ListRooms: 401 unknown API key — the server does not know this API key/);
  });

  it('wrong secret for a real key → exit 2, bad signature', async () => {
    const run = await runCli(args(server.url, server.keys[0]!.key, wrongSecret));
    expectOneCleanLine(run, 2, /ListRooms: 401 token signature rejected \(wrong API secret for this key\) — the API secret does not belong to this API key/);
  });

  it('clock 5 minutes fast (faketime) → token not valid yet → clock skew, exit 1', async () => {
    const which = spawnSync('faketime', ['-f', '+0', 'true']);
    expect(which.error, 'faketime is needed for this test: apt-get install -y faketime').toBeUndefined();
    const run = await runCli(args(server.url, server.keys[0]!.key, server.keys[0]!.secret), { wrapper: ['faketime', '-f', '+5m'], timeoutMs: 30_000 });
    expectOneCleanLine(run, 1, /ListRooms: 401 token rejected for its time \(not valid yet\) — this machine's clock differs from the server's/);
  });

  it('connection refused (a free port with nothing listening) → exit 1', async () => {
    const port = await freeTcpPort();
    const run = await runCli(args(`ws://127.0.0.1:${port}`, server.keys[0]!.key, server.keys[0]!.secret));
    expectOneCleanLine(run, 1, new RegExp(`ListRooms: ECONNREFUSED .*127\\.0\\.0\\.1:${port} — nothing listens at this host and port`));
  });

  it('DNS failure (doctor-test.invalid) → exit 1', async () => {
    const run = await runCli(args('wss://doctor-test.invalid', server.keys[0]!.key, server.keys[0]!.secret));
    expectOneCleanLine(run, 1, /ListRooms: (ENOTFOUND|EAI_AGAIN) .*doctor-test\.invalid — the host name does not resolve/);
  });

  it('TLS failure (wss:// to the plain port) → exit 1', async () => {
    const run = await runCli(args(`wss://127.0.0.1:${server.port}`, server.keys[0]!.key, server.keys[0]!.secret));
    expectOneCleanLine(run, 1, /ListRooms: ERR_SSL_\w+ .* — the TLS handshake failed: use ws:\/\/ \/ http:\/\/ for a server without TLS/);
  });

  it('timeout (a socket that accepts and never answers, --timeout 1) → exit 1 after about 1 s', async () => {
    const run = await runCli(['rooms', '--url', `ws://127.0.0.1:${silentPort}`, '--api-key', server.keys[0]!.key, '--api-secret', server.keys[0]!.secret, '--timeout', '1']);
    expectOneCleanLine(run, 1, /ListRooms: no answer within 1000 ms — the server did not answer in time/, 1000);
    expect(run.durationMs).toBeGreaterThanOrEqual(950);
  });

  it('server error 5xx (an HTTP server answering 500 that echoes the token) → exit 1, token not shown', async () => {
    const run = await runCli(args(`http://127.0.0.1:${failingPort}`, server.keys[0]!.key, server.keys[0]!.secret));
    expectOneCleanLine(run, 1, /ListRooms: 500 upstream failed for Bearer \[jwt redacted\] — the server failed internally/);
  });

  it('room not found → exit 1, also for --json (stdout stays empty)', async () => {
    for (const extra of [[], ['--json']]) {
      const run = await runCli(['participants', 'livekit-doctor-no-such-room', '--url', server.url, '--api-key', server.keys[0]!.key, '--api-secret', server.keys[0]!.secret, '--timeout', String(TIMEOUT_S), ...extra]);
      expectOneCleanLine(run, 1, /ListParticipants: room "livekit-doctor-no-such-room" does not exist on this server — the room does not exist/);
    }
  });

  it('with --verbose a stack may follow, still without the secret or the token', async () => {
    const run = await runCli(args(server.url, server.keys[0]!.key, wrongSecret, ['--verbose', '--json']));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^livekit-doctor: ListRooms: 401 token signature rejected/);
    expectNoSecrets(run.stderr, server, passedSecrets);
  });
});
