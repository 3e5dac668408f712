/**
 * Bad input: URLs, keys, secrets, env files, lk config files, tokens, WAVs, server logs, agent endpoints.
 * Each case: the documented exit code, in time, one line naming the problem, no stack, no secret, nothing left.
 */
import { describe, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createHmac, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useLiveServer } from '../harness/live-server.js';
import { connectionArgs } from '../harness/cli.js';
import { expectFaultHandled, runBin, runFault } from '../harness/faults.js';

const getServer = useLiveServer();
const dir = mkdtempSync(join(tmpdir(), 'lkd-bad-'));
const SECRET = `SECRETLEAKCANARY${randomBytes(16).toString('hex')}`;
const KEY = 'APIbadinput0001';
const conn = ['--url', 'ws://127.0.0.1:9', '--api-key', KEY, '--api-secret', SECRET];
const QUICK = 15_000;

function file(name: string, content: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}
const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
function jwt(payload: Record<string, unknown>, secret = SECRET, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const input = `${enc(header)}.${enc(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
const now = () => Math.floor(Date.now() / 1000);

describe('bad settings: exit 2 before any network call', () => {
  const cases: [string, string[], RegExp][] = [
    ['URL without a scheme', ['--url', 'my-project.livekit.cloud', '--api-key', KEY, '--api-secret', SECRET], /has no scheme/],
    ['URL with ftp://', ['--url', 'ftp://example.com', '--api-key', KEY, '--api-secret', SECRET], /scheme ftp:/],
    ['URL with a 300-character host label', ['--url', `wss://${'a'.repeat(300)}.example.com`, '--api-key', KEY, '--api-secret', SECRET], /host name part of 300 characters/],
    ['URL with a query', ['--url', 'wss://x.livekit.cloud?token=1', '--api-key', KEY, '--api-secret', SECRET], /query or fragment/],
    ['URL with credentials', ['--url', 'wss://u:p@x.example.com', '--api-key', KEY, '--api-secret', SECRET], /contains credentials/],
    ['http:// for LiveKit Cloud', ['--url', 'http://x.livekit.cloud', '--api-key', KEY, '--api-secret', SECRET], /serves only TLS/],
    ['empty --api-secret', ['--url', 'ws://127.0.0.1:9', '--api-key', KEY, '--api-secret', ''], /API secret from flag --api-secret is empty/],
    ['empty --api-key', ['--url', 'ws://127.0.0.1:9', '--api-key', '', '--api-secret', SECRET], /API key from flag --api-key is empty/],
    ['whitespace secret', ['--url', 'ws://127.0.0.1:9', '--api-key', KEY, '--api-secret', `  ${SECRET} `], /whitespace around it/],
    ['quoted secret', ['--url', 'ws://127.0.0.1:9', '--api-key', KEY, '--api-secret', `"${SECRET}"`], /wrapped in quotes/],
    ['key equals secret', ['--url', 'ws://127.0.0.1:9', '--api-key', SECRET, '--api-secret', SECRET], /same value/],
    ['timeout not a number', [...conn, '--timeout', 'soon'], /not a number of seconds/],
  ];
  for (const [name, args, line] of cases) {
    it(`check: ${name}`, async () => {
      await expectFaultHandled(await runFault(['check', ...args]), { exit: 2, deadlineMs: QUICK, line, secrets: [SECRET] });
    });
  }
  it('rooms: empty --api-secret is one line and exit 2', async () => {
    await expectFaultHandled(await runFault(['rooms', '--url', 'ws://127.0.0.1:9', '--api-key', KEY, '--api-secret', '']), { exit: 2, deadlineMs: QUICK, line: /^livekit-doctor: the API secret .* is empty/ });
  });
});

describe('env files and lk config (through bin/livekit-doctor.js, as installed)', () => {
  it('--env-file <missing> on Node 20: the doctor says so, not Node (exit 2)', async () => {
    await expectFaultHandled(await runBin(['config', '--env-file', join(dir, 'nope.env')]), { exit: 2, deadlineMs: QUICK, line: /^livekit-doctor: env file .*nope\.env.* does not exist/ });
  });
  it('--env-file <a directory>: one line, exit 2', async () => {
    mkdirSync(join(dir, 'adir'), { recursive: true });
    await expectFaultHandled(await runBin(['check', '--env-file', join(dir, 'adir')]), { exit: 2, deadlineMs: QUICK, line: /is a directory, not a file/ });
  });
  it('--env-file=<missing> (= form): one line, exit 2', async () => {
    await expectFaultHandled(await runBin(['config', `--env-file=${join(dir, 'nope2.env')}`]), { exit: 2, deadlineMs: QUICK, line: /does not exist/ });
  });
  it('a binary env file: one line, exit 2', async () => {
    const p = file('bin.env', Buffer.from([0, 1, 2, 255, 254, 10, 0]));
    await expectFaultHandled(await runBin(['config', '--env-file', p]), { exit: 2, deadlineMs: QUICK, line: /holds binary data/ });
  });
  it('duplicate keys in an env file: config says which line is used (exit 0)', async () => {
    const p = file('dup.env', `LIVEKIT_URL=ws://127.0.0.1:1\nLIVEKIT_API_KEY=${KEY}\nLIVEKIT_API_SECRET=${SECRET}\nLIVEKIT_URL=ws://127.0.0.1:2\n`);
    await expectFaultHandled(await runBin(['config', '--env-file', p]), { exit: 0, deadlineMs: QUICK, line: /LIVEKIT_URL is set 2 times in .*dup\.env \(lines 1, 4\): the doctor uses line 4/, secrets: [SECRET] });
  });
  it('an env file whose secret is empty: exit 2, names the file and line', async () => {
    const p = file('empty-secret.env', `LIVEKIT_URL=ws://127.0.0.1:9\nLIVEKIT_API_KEY=${KEY}\nLIVEKIT_API_SECRET=\n`);
    await expectFaultHandled(await runBin(['check', '--env-file', p]), { exit: 2, deadlineMs: QUICK, line: /no API secret is set/ });
  });
  it('a broken lk config with --project: one line, exit 2', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lkd-home-'));
    mkdirSync(join(home, '.livekit'));
    writeFileSync(join(home, '.livekit', 'cli-config.yaml'), 'projects: [\n  - name: "dev\n  url: :::\n');
    await expectFaultHandled(await runFault(['config', '--project', 'dev'], { env: { HOME: home } }), { exit: 2, deadlineMs: QUICK, line: /cannot read the lk CLI config/ });
  });
  it('an lk config project with wrong types: unknown project, exit 2', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lkd-home-'));
    mkdirSync(join(home, '.livekit'));
    writeFileSync(join(home, '.livekit', 'cli-config.yaml'), 'default_project: 7\nprojects:\n  - name: [1, 2]\n    url: 42\n');
    await expectFaultHandled(await runFault(['config', '--project', 'dev'], { env: { HOME: home } }), { exit: 2, deadlineMs: QUICK, line: /lk project "dev" \(from --project\) is not in/ });
  });
});

describe('tokens: token inspect keeps its --help (1 invalid, 2 none given)', () => {
  const cases: [string, () => string, number, RegExp][] = [
    ['garbage', () => 'not a token at all', 1, /invalid token: this is not a JWT/],
    ['a truncated JWT', () => jwt({ iss: KEY, sub: 'a', exp: now() + 600 }).slice(0, 30), 1, /invalid token/],
    ['two parts', () => jwt({ iss: KEY, exp: now() + 600 }).split('.').slice(0, 2).join('.'), 1, /invalid token/],
    ['claims not JSON', () => `${enc({ alg: 'HS256' })}.${Buffer.from('nope').toString('base64url')}.abc`, 1, /not base64url-encoded JSON/],
    ['alg none', () => `${enc({ alg: 'none', typ: 'JWT' })}.${enc({ iss: KEY, sub: 'a', exp: now() + 600, video: { roomJoin: true, room: 'r' } })}.`, 1, /LiveKit accepts only HS256/],
    ['expired', () => jwt({ iss: KEY, sub: 'a', exp: now() - 7200, video: { roomJoin: true, room: 'r' } }), 1, /expired/],
    ['signed with another secret', () => jwt({ iss: KEY, sub: 'a', exp: now() + 600, video: { roomJoin: true, room: 'r' } }, 'SECRETLEAKCANARYother000000000000000'), 1, /bad signature/],
    ['a megabyte of "token"', () => `eyJ${'A'.repeat(1024 * 1024)}.eyJ.x`, 1, /invalid token/],
  ];
  for (const [name, make, exit, line] of cases) {
    it(`token inspect: ${name} → exit ${exit}`, async () => {
      const token = make();
      const run = await runFault(['token', 'inspect', '-', '--api-key', KEY, '--api-secret', SECRET], { input: token });
      await expectFaultHandled(run, { exit, deadlineMs: QUICK, line, secrets: [SECRET] });
    });
  }
  it('token inspect: empty input → exit 2', async () => {
    await expectFaultHandled(await runFault(['token', 'inspect', '-'], { input: '   \n' }), { exit: 2, deadlineMs: QUICK, line: /no token given/ });
  });
});

describe('WAVs, server logs', () => {
  it('check --voice-input <missing>: exit 2 before anything is created', async () => {
    const s = getServer();
    await expectFaultHandled(await runFault(['check', ...connectionArgs(s), '--agent', 'a', '--voice', '--voice-input', join(dir, 'missing.wav')]), { exit: 2, deadlineMs: QUICK, line: /missing\.wav/, server: s });
  });
  it('check --voice-input <not a WAV>: exit 2', async () => {
    const s = getServer();
    const p = file('noise.wav', randomBytes(2000));
    await expectFaultHandled(await runFault(['check', ...connectionArgs(s), '--agent', 'a', '--voice', '--voice-input', p]), { exit: 2, deadlineMs: QUICK, line: /noise\.wav/, server: s });
  });
  it('--server-log <missing file>: exit 2', async () => {
    const s = getServer();
    await expectFaultHandled(await runFault(['check', ...connectionArgs(s), '--server-log', join(dir, 'none.log')]), { exit: 2, deadlineMs: QUICK, line: /none\.log/, server: s });
  });
  it('--server-log <binary file>: not a log, exit 2', async () => {
    const s = getServer();
    const p = file('binary.log', Buffer.concat([randomBytes(3000), Buffer.from([0, 0, 10])]));
    await expectFaultHandled(await runFault(['check', ...connectionArgs(s), '--server-log', p]), { exit: 2, deadlineMs: QUICK, line: /binary data|not a livekit-server log/, server: s });
  });
  it('--server-log <another program\'s log>: exit 2', async () => {
    const s = getServer();
    const p = file('nginx.log', '127.0.0.1 - - [01/Jan/2026:00:00:00 +0000] "GET / HTTP/1.1" 200 612\n'.repeat(20));
    await expectFaultHandled(await runFault(['check', ...connectionArgs(s), '--server-log', p]), { exit: 2, deadlineMs: QUICK, line: /not a livekit-server log line|cannot be read/, server: s });
  });
});

describe('agent endpoints that answer wrong', () => {
  let http: Server;
  let base = '';
  const routes: Record<string, (res: import('node:http').ServerResponse) => void> = {};
  beforeAll(async () => {
    http = createServer((req, res) => {
      const [route, path] = (req.url ?? '/').split('/').filter(Boolean) as [string, string?];
      if (!path) return void res.end('ok');
      (routes[route] ?? ((r) => r.end('{}')))(res);
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
    routes['wrong-types'] = (res) => res.end(JSON.stringify({ agent_name: 42, active_jobs: 'many', worker_type: 'JT_ROOM' }));
    routes.huge = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const more = () => {
        while (sent < 10 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      res.on('error', () => {});
      more();
    };
    routes['not-json'] = (res) => res.end('<html>hello</html>');
    routes.hang = () => {};
  });
  afterAll(() => new Promise<void>((r) => http.close(() => r())));

  const cases: [string, string, number, RegExp][] = [
    ['/worker with wrong types (agent_name: 42)', 'wrong-types', 1, /agent_name is a number \(42\), not a string/],
    ['a 10 MB /worker answer (read no further than 64 KB)', 'huge', 1, /more than 64 KB/],
    ['/worker that is HTML', 'not-json', 1, /did not answer JSON/],
  ];
  for (const [name, route, exit, line] of cases) {
    it(`agent-status: ${name}`, async () => {
      await expectFaultHandled(await runFault(['agent-status', `${base}/${route}/`, '--agent', 'my-agent']), { exit: [exit, 0], deadlineMs: QUICK, line });
    });
  }
  it('agent-status: an endpoint that never answers ends within --timeout', async () => {
    // GET / hangs too: route "hang" has no health answer either.
    http.on('request', () => {});
    await expectFaultHandled(await runFault(['agent-status', `http://127.0.0.1:9/`, '--timeout', '2']), { exit: 1, deadlineMs: QUICK, line: /refused|did not answer/ });
  });
  it('check --agent-http with wrong types: not shown as a healthy worker', async () => {
    const s = getServer();
    const run = await runFault(['check', ...connectionArgs(s), '--agent', 'my-agent', '--agent-http', `${base}/wrong-types/`, '--only', 'agent-http', '--wait', '2']);
    await expectFaultHandled(run, { exit: [0, 1], deadlineMs: 30_000, line: /wrong type/, server: s });
  });
});

describe('read-only commands with bad credentials', () => {
  it('rooms with the wrong secret: exit 2, one line', async () => {
    const s = getServer();
    await expectFaultHandled(await runFault(['rooms', '--url', s.url, '--api-key', s.keys[0]!.key, '--api-secret', SECRET]), { exit: 2, deadlineMs: QUICK, line: /^livekit-doctor: .*(signature|secret)/, server: s, secrets: [SECRET] });
  });
  it('cleanup with an unknown key: exit 2, one line', async () => {
    const s = getServer();
    await expectFaultHandled(await runFault(['cleanup', '--url', s.url, '--api-key', KEY, '--api-secret', SECRET]), { exit: 2, deadlineMs: QUICK, line: /^livekit-doctor: .*(API key|unknown)/i, server: s, secrets: [SECRET] });
  });
  it('cleanup --room <not the doctor\'s>: exit 2', async () => {
    const s = getServer();
    await expectFaultHandled(await runFault(['cleanup', ...connectionArgs(s), '--room', 'my-prod-room']), { exit: 2, deadlineMs: QUICK, line: /only rooms named livekit-doctor-\*/, server: s });
  });
});
