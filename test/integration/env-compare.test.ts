import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LiveKitServer, KeyPair } from '../harness/server.js';
import { runCli } from '../harness/cli.js';
import { freeTcpPort } from '../harness/ports.js';
import { useLiveServer } from '../harness/live-server.js';
import { expectNoSecrets, type ReportJson } from '../harness/scenarios.js';

let lk: LiveKitServer;
let root: string;

function envFile(component: string, lines: string[], name = '.env'): string {
  const dir = join(root, component);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  return join(dir, name);
}
const creds = (url: string, pair: KeyPair) => [`LIVEKIT_URL=${url}`, `LIVEKIT_API_KEY=${pair.key}`, `LIVEKIT_API_SECRET="${pair.secret}"`];

async function check(files: { agent?: string; backend?: string; frontend?: string }) {
  const args = ['check', '--only', 'env', '--json'];
  if (files.agent) args.push('--agent-env', files.agent);
  if (files.backend) args.push('--backend-env', files.backend);
  if (files.frontend) args.push('--frontend-env', files.frontend);
  const run = await runCli(args);
  expectNoSecrets(run, lk, { canary: 'SECRETLEAKCANARYbogus' });
  return { run, report: run.stdout ? (JSON.parse(run.stdout) as ReportJson) : undefined };
}
const byId = (r: ReportJson, id: string) => r.checks.find((c) => c.id === id)!;

useLiveServer({ onStart: (s) => (lk = s) });

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'lkd-envint-'));
});

describe('check --agent-env/--backend-env/--frontend-env against a real livekit-server', () => {
  it('same project everywhere: both checks pass, the credentials are verified against the server', async () => {
    root = mkdtempSync(join(tmpdir(), 'lkd-envint-'));
    const agent = envFile('agent', [...creds(lk.url, lk.keys[0]!), 'LIVEKIT_AGENT_NAME=my-agent']);
    const backend = envFile('backend', ['# backend', ...creds(lk.url.replace('ws://', 'http://'), lk.keys[0]!).map((l) => `export ${l}`), 'AGENT_NAME=my-agent']);
    const frontend = envFile('frontend', ['NEXT_PUBLIC_LIVEKIT_URL=ws://localhost:1']);
    envFile('frontend', [`NEXT_PUBLIC_LIVEKIT_URL=${lk.url}`], '.env.local');
    const { run, report } = await check({ agent, backend, frontend });
    expect(run.code, run.stderr).toBe(0);
    expect(byId(report!, 'env.compare').status).toBe('pass');
    expect(byId(report!, 'env.compare').summary).toBe(`agent, backend, frontend agree: host 127.0.0.1:${lk.port}, key ${lk.keys[0]!.key.slice(0, 4)}…, agent name "my-agent"`);
    expect(byId(report!, 'env.credentials').status).toBe('pass');
    expect(byId(report!, 'env.credentials').summary).toMatch(/agent \+ backend .*: accepted/);
  });

  it('two key pairs, one valid and one unknown to the server: a key mismatch and two verdicts', async () => {
    root = mkdtempSync(join(tmpdir(), 'lkd-envint-'));
    const agent = envFile('agent', creds(lk.url, lk.keys[0]!));
    const backend = envFile('backend', creds(lk.url, { key: 'APIbogus0000', secret: 'SECRETLEAKCANARYbogus000000000000000' }));
    const { run, report } = await check({ agent, backend });
    expect(run.code).toBe(1);
    const cmp = byId(report!, 'env.compare');
    expect(cmp.cause).toBe('env-api-key-mismatch');
    expect(cmp.details!.join('\n')).toContain(`backend LIVEKIT_API_KEY=APIb… (${backend} line 2)`);
    const cred = byId(report!, 'env.credentials');
    expect(cred.status).toBe('fail');
    expect(cred.details!.find((d) => d.startsWith('accepted'))).toContain('agent (key');
    expect(cred.details!.find((d) => d.startsWith('REFUSED'))).toMatch(/backend \(key APIb….*invalid API key|backend \(key APIb….*not know/);
    expect(report!.findings.map((f) => f.cause)).toEqual(expect.arrayContaining(['env-api-key-mismatch', 'env-credentials-refused']));
  });

  it('two valid keys (both accepted): two verdicts, flagged as two credential sets', async () => {
    root = mkdtempSync(join(tmpdir(), 'lkd-envint-'));
    const agent = envFile('agent', creds(lk.url, lk.keys[0]!));
    const backend = envFile('backend', creds(lk.url, lk.keys[1]!));
    const { report } = await check({ agent, backend });
    const cred = byId(report!, 'env.credentials');
    expect(cred.status).toBe('warn');
    expect(cred.cause).toBe('env-two-projects');
    expect(cred.details!.filter((d) => d.startsWith('accepted'))).toHaveLength(2);
  });

  it('a different host (a closed local port): url-host mismatch, and that set is refused as connection refused', async () => {
    root = mkdtempSync(join(tmpdir(), 'lkd-envint-'));
    const closed = `ws://127.0.0.1:${await freeTcpPort()}`;
    const agent = envFile('agent', [...creds(lk.url, lk.keys[0]!), 'LIVEKIT_AGENT_NAME=My-Agent']);
    const backend = envFile('backend', [...creds(closed, lk.keys[0]!), 'LIVEKIT_AGENT_NAME="my-agent "']);
    const { report } = await check({ agent, backend });
    const cmp = byId(report!, 'env.compare');
    const kinds = (cmp.evidence!.mismatches as { kind: string }[]).map((m) => m.kind);
    expect(kinds).toEqual(['url-host', 'agent-name-near']);
    // One finding per mismatch, each with both values and where they came from.
    const near = report!.findings.find((f) => f.cause === 'env-agent-name-near-mismatch')!;
    expect(near.evidence[0]).toContain('differ only in case or spacing');
    expect(near.evidence).toContain(`backend LIVEKIT_AGENT_NAME="my-agent␠" (${backend} line 4)`);
    expect(near.evidence).toContain(`agent LIVEKIT_AGENT_NAME="My-Agent" (${agent} line 4)`);
    expect(report!.findings.map((f) => f.cause)).toContain('env-url-host-mismatch');
    expect(byId(report!, 'env.credentials').details!.join('\n')).toMatch(/REFUSED: backend .*refused|REFUSED: backend .*nothing listens/i);
  });

  it('a missing file: a clear usage error, exit 2, nothing run', async () => {
    const agent = envFile('agent', creds(lk.url, lk.keys[0]!));
    const run = await runCli(['check', '--only', 'env', '--agent-env', agent, '--backend-env', join(root, 'nope', '.env')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`env file not found: ${join(root, 'nope', '.env')}`);
    expect(run.stdout).toBe('');
  });
});
