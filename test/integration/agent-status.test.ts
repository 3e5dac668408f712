/**
 * The agent endpoint reader against a loopback HTTP server that answers in the shapes agents
 * serve (and fail in), and the `agent-status` command run as a real process.
 * Real agent frameworks' endpoints are covered by the fixture agents' tests.
 * The CLI part needs the build (npx tsc -p tsconfig.build.json); it does not rebuild, because a
 * rebuild rewrites dist/ under other tests' running CLI processes.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fetchAgentStatus } from '../../src/evidence/agent-http.js';
import { freeTcpPort } from '../harness/ports.js';
import { runCli } from '../harness/cli.js';
import { expectNoSecrets } from '../harness/scenarios.js';

const SECRET = 'SECRETLEAKCANARYagentstatus0123456789ab';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJ2aWRlbyI6eyJhZ2VudCI6dHJ1ZX19.c2lnbmF0dXJlc2lnbmF0dXJl';
const workerJson = { agent_name: 'my-agent', agent_name_is_env: false, worker_type: 'JT_ROOM', active_jobs: 0, sdk_version: '1.9.0', protocol_version: 1, project_type: 'typescript' };

/** Path prefix → what `/` and `/worker` answer under it. */
const shapes: Record<string, { root: [number, string]; worker?: [number, string]; delayMs?: number }> = {
  healthy: { root: [200, 'OK'], worker: [200, JSON.stringify(workerJson)] },
  unhealthy: { root: [503, 'failed to connect to livekit'], worker: [200, JSON.stringify(workerJson)] },
  notjson: { root: [200, 'OK'], worker: [200, '<html>proxy login</html>'] },
  noworker: { root: [200, 'OK'], worker: [404, 'not found'] },
  slow: { root: [200, 'OK'], delayMs: 5000 },
  busy: { root: [200, 'OK'], worker: [200, JSON.stringify({ ...workerJson, agent_name: 'My-Agent', worker_type: 'JT_PUBLISHER', worker_load: 0.9, active_jobs: 4 })] },
  leaky: { root: [503, `failed: token=${JWT} secret ${SECRET}`], worker: [200, JSON.stringify({ ...workerJson, token: JWT })] },
};

let server: Server;
let base: string;
let refusedUrl: string;

beforeAll(async () => {
  expect(existsSync(join(process.cwd(), 'dist', 'commands', 'agent-status', 'index.js')), 'run npx tsc -p tsconfig.build.json first').toBe(true);
  server = createServer((req, res) => {
    const [, prefix, rest] = /^\/([^/]+)\/(.*)$/.exec(req.url ?? '') ?? [];
    const shape = shapes[prefix ?? ''];
    if (!shape) return void res.writeHead(404).end('no such shape');
    const [code, body] = rest === '' ? shape.root : rest === 'worker' ? (shape.worker ?? [404, 'not found']) : [404, 'not found'];
    const answer = () => {
      // agents-js really sends this misspelt header: the reader must not depend on content-type.
      res.writeHead(code, rest === 'worker' ? { 'Contet-Type': 'application/json' } : { 'content-type': 'text/plain' });
      res.end(body);
    };
    if (shape.delayMs) setTimeout(answer, shape.delayMs).unref();
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  refusedUrl = `http://127.0.0.1:${await freeTcpPort()}`;
}, 120_000);

afterAll(async () => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('fetchAgentStatus against a loopback endpoint', () => {
  const ask = (shape: string, timeoutMs = 2000) => fetchAgentStatus(`${base}/${shape}/`, { timeoutMs });

  it('healthy: reachable, 200, worker fields normalised', async () => {
    const s = await ask('healthy');
    expect(s).toMatchObject({ reachable: true, health: { status: 200, ok: true } });
    expect(s.worker).toMatchObject({ agentName: 'my-agent', workerType: 'JT_ROOM', activeJobs: 0, sdkVersion: '1.9.0', protocolVersion: 1 });
    expect(s.error).toBeUndefined();
  });

  it('503 with a reason', async () => {
    const s = await ask('unhealthy');
    expect(s).toMatchObject({ reachable: true, health: { status: 503, ok: false, reason: 'failed to connect to livekit' } });
  });

  it('/worker not JSON → not-json, /worker 404 → http-error', async () => {
    expect((await ask('notjson')).error?.cause).toBe('not-json');
    const s = await ask('noworker');
    expect(s.error).toMatchObject({ cause: 'http-error' });
    expect(s.error?.message).toMatch(/404/);
  });

  it('slow → timeout within the deadline', async () => {
    const started = performance.now();
    const s = await ask('slow', 300);
    const elapsed = performance.now() - started;
    expect(s).toMatchObject({ reachable: false, error: { cause: 'timeout' } });
    expect(elapsed).toBeLessThan(1500);
  });

  it('closed port → refused', async () => {
    const s = await fetchAgentStatus(refusedUrl, { timeoutMs: 2000 });
    expect(s).toMatchObject({ reachable: false, error: { cause: 'refused' } });
  });

  it('an outer abort signal ends the wait', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const s = await fetchAgentStatus(`${base}/slow/`, { timeoutMs: 10_000, signal: controller.signal });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(s.reachable).toBe(false);
  });
});

describe('livekit-doctor agent-status (built CLI)', () => {
  it('healthy with the right name: table on stdout, exit 0', async () => {
    const run = await runCli(['agent-status', `${base}/healthy/`, '--agent', 'my-agent']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/agent name\s*│\s*"my-agent"/);
    expect(run.stdout).toMatch(/worker type\s*│\s*JT_ROOM/);
    expect(run.stdout).toContain('✓');
  });

  it('--json: only JSON on stdout, with findings', async () => {
    const run = await runCli(['--json', 'agent-status', `${base}/busy/`, '--agent', 'my-agent']);
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.schema).toBe('livekit-doctor/agent-status@1');
    expect(out.findings.map((f: { id: string }) => f.id)).toEqual(['agent-name-mismatch', 'worker-type-not-room', 'agent-load-high']);
  });

  it('unhealthy: exit 1 and the reason is printed', async () => {
    const run = await runCli(['agent-status', `${base}/unhealthy/`]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('failed to connect to livekit');
  });

  it('refused: exit 1, says nothing listens', async () => {
    const run = await runCli(['agent-status', refusedUrl]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/connection refused/);
  });

  it('--timeout bounds a slow agent', async () => {
    const run = await runCli(['--timeout', '0.5', 'agent-status', `${base}/slow/`]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/within 500 ms/);
    expect(run.durationMs).toBeLessThan(4000);
  });

  it('a bad URL is a usage error (exit 2)', async () => {
    const run = await runCli(['agent-status', 'ftp://x']);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/not a URL/);
  });

  it('never prints the API secret or a JWT the agent echoes', async () => {
    for (const json of [false, true]) {
      const run = await runCli([...(json ? ['--json'] : []), 'agent-status', `${base}/leaky/`], { env: { LIVEKIT_API_SECRET: SECRET } });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout + run.stderr).toContain('failed:');
      expectNoSecrets(run, { secrets: [SECRET, JWT], canary: false });
    }
  });
});
