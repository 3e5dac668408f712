import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:net';
import { makeKeyPair, type LiveKitServer } from '../harness/server.js';
import { runCli, connectionArgs } from '../harness/cli.js';
import { doctorLeftovers, expectNothingLeft } from '../harness/leftovers.js';
import { freeTcpPort } from '../harness/ports.js';
import { startLiveServer, useLiveServer } from '../harness/live-server.js';
import { expectNoSecrets, JWT_LIKE, type ReportJson, type SecretScan } from '../harness/scenarios.js';

const byId = (r: ReportJson, id: string) => r.checks.find((c) => c.id === id)!;

/** Besides the server's secrets: no JWT. */
const noJwt: SecretScan = { patterns: [JWT_LIKE], canary: false };

async function waitForDoctorRoom(server: LiveKitServer, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await doctorLeftovers(server)).rooms.length) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('check against a real livekit-server', () => {
  let server: LiveKitServer;
  useLiveServer({ onStart: (s) => (server = s) });

  it('healthy server: every check passes, the report has the job latency and worker id, nothing is left', async () => {
    const run = await runCli(['check', ...connectionArgs(server), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as ReportJson;
    expect(report.schema).toBe('livekit-doctor/report@1');
    expect(report.checks.map((c) => c.status)).not.toContain('fail');
    expect(report.checks.every((c) => c.status === 'pass')).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual([
      'settings.valid',
      'server.reachable',
      'server.credentials',
      'server.clock',
      'server.rooms',
      'probe.registered',
      'probe.dispatched',
      'probe.job-received',
      'probe.job-assigned',
      'probe.joined',
      'cleanup',
    ]);
    const job = byId(report, 'probe.job-received').evidence!;
    // On v1.13.5 no job arrives sooner than the ~200 ms selection window after its dispatch.
    expect(job.latencyMs as number).toBeGreaterThanOrEqual(150);
    expect(job.latencyMs as number).toBeLessThan(5_000);
    expect(byId(report, 'probe.registered').evidence!.workerId).toMatch(/^AW_/);
    expect(report.server.version).toBe('1.13.5');
    expect(byId(report, 'probe.joined').evidence!.listedKind).toBe('AGENT');
    expect(report.conclusion).toContain('needs no dashboard setting');
    await expectNothingLeft(server);
    expectNoSecrets(run, server, noJwt);
  });

  it('terminal output: one line per check and the final count line', async () => {
    const run = await runCli(['check', ...connectionArgs(server)]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^11 passed, 0 failed, 0 skipped$/m);
    expect(run.stdout).toContain('✔');
    expect(run.stderr).toBe('');
    expectNoSecrets(run, server, noJwt);
  });

  it('wrong secret: credentials fail as bad-signature, later checks skipped, exit 1, no secret in output', async () => {
    const wrong = { ...server.keys[0]!, secret: makeKeyPair().secret };
    const run = await runCli(['check', '--url', server.url, '--api-key', wrong.key, '--api-secret', wrong.secret, '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as ReportJson;
    expect(byId(report, 'server.credentials')).toMatchObject({ status: 'fail', cause: 'bad-signature' });
    expect(byId(report, 'probe.registered')).toMatchObject({ status: 'skip', skippedBecause: 'server.credentials' });
    expect(byId(report, 'probe.joined').status).toBe('skip');
    expect(report.findings[0]!.cause).toBe('bad-signature');
    expectNoSecrets(run, server, noJwt);
    expectNoSecrets(run, { secrets: [wrong.secret], canary: false });
  });

  it('unknown key: credentials fail as unknown-api-key', async () => {
    const stranger = makeKeyPair('x');
    const run = await runCli(['check', '--url', server.url, '--api-key', stranger.key, '--api-secret', stranger.secret]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('unknown-api-key');
    expect(run.stdout).toMatch(/^\d+ passed, 1 failed, \d+ skipped$/m);
    expectNoSecrets(run, { secrets: [stranger.secret], canary: false });
  });

  it('closed port and unresolvable host: reachability fails with the right cause, exit 1', async () => {
    const port = await freeTcpPort();
    const refused = await runCli(['check', '--url', `ws://127.0.0.1:${port}`, '--api-key', server.keys[0]!.key, '--api-secret', server.keys[0]!.secret, '--json']);
    expect(refused.code).toBe(1);
    expect(byId(JSON.parse(refused.stdout), 'server.reachable')).toMatchObject({ status: 'fail', cause: 'connection-refused' });
    const dns = await runCli(['check', '--url', 'wss://doctor-test.invalid', '--api-key', server.keys[0]!.key, '--api-secret', server.keys[0]!.secret, '--json']);
    expect(dns.code).toBe(1);
    const report = JSON.parse(dns.stdout) as ReportJson;
    expect(byId(report, 'server.reachable')).toMatchObject({ status: 'fail', cause: 'dns-failure' });
    expect(byId(report, 'server.credentials').status).toBe('skip');
    expectNoSecrets([refused.stdout, refused.stderr, dns.stdout, dns.stderr], server, noJwt);
  });

  it('unusable settings: exit 2 with one clear line per problem', async () => {
    const run = await runCli(['check', '--url', 'my-project.livekit.cloud', '--api-key', 'APIabc']);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('has no scheme');
    expect(run.stdout).toContain('no API secret is set');
    expect(run.stdout).not.toMatch(/^\s+at /m);
  });

  it('a probe that rejects its job: job request received, assignment fails as job-rejected-by-worker, nothing hangs', async () => {
    const run = await runCli(['check', ...connectionArgs(server), '--probe-mode', 'reject', '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as ReportJson;
    expect(byId(report, 'probe.job-received').status).toBe('pass');
    expect(byId(report, 'probe.job-assigned')).toMatchObject({ status: 'fail', cause: 'job-rejected-by-worker' });
    expect(byId(report, 'probe.joined')).toMatchObject({ status: 'skip', skippedBecause: 'probe.job-assigned' });
    expect(run.durationMs).toBeLessThan(15_000);
    await expectNothingLeft(server);
  });

  it('a probe that answers after 3.5 s loses its job: assignment-missing, with the late answer named', async () => {
    const run = await runCli(['check', ...connectionArgs(server), '--probe-answer-delay', '3500', '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as ReportJson;
    const assigned = byId(report, 'probe.job-assigned');
    expect(assigned).toMatchObject({ status: 'fail', cause: 'assignment-missing' });
    await expectNothingLeft(server);
  });

  it('SIGINT while waiting for the assignment: exit 130 after cleanup, nothing left on the server', async () => {
    let sent = false;
    const run = await runCli(['check', ...connectionArgs(server), '--probe-answer-delay', '3500'], {
      onSpawn: (child) => {
        void waitForDoctorRoom(server, 10_000).then((seen) => {
          if (!seen) return;
          setTimeout(() => {
            sent = true;
            child.kill('SIGINT');
          }, 600);
        });
      },
    });
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    expect(run.durationMs).toBeLessThan(15_000);
    await expectNothingLeft(server);
  });
});

describe('check when the server dies in the middle', () => {
  it('the server is stopped while the probe waits: clear failure, exit 1 within the deadlines, no crash', async () => {
    const server = await startLiveServer();
    try {
      const run = await runCli(['check', ...connectionArgs(server), '--probe-answer-delay', '3500', '--wait', '5', '--timeout', '2', '--json'], {
        onSpawn: () => {
          void waitForDoctorRoom(server, 10_000).then((seen) => {
            if (seen) setTimeout(() => void server.stop(), 500);
          });
        },
      });
      expect(run.code).toBe(1);
      expect(run.stderr).not.toMatch(/^\s+at /m);
      const report = JSON.parse(run.stdout) as ReportJson;
      const broken = report.checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => c.id);
      expect(broken).toContain('probe.job-assigned');
      expect(byId(report, 'cleanup').status).toBe('fail');
      expect(run.durationMs).toBeLessThan(30_000);
    } finally {
      await server.stop();
    }
  });
});

describe('check against a port that accepts and never answers', () => {
  let silent: Server;
  let port: number;
  const sockets = new Set<import('node:net').Socket>();
  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  });

  it('times out at --timeout with cause timeout', async () => {
    const pair = makeKeyPair();
    const run = await runCli(['check', '--url', `ws://127.0.0.1:${port}`, '--api-key', pair.key, '--api-secret', pair.secret, '--timeout', '1', '--json']);
    expect(run.code).toBe(1);
    expect(byId(JSON.parse(run.stdout), 'server.reachable')).toMatchObject({ status: 'fail', cause: 'timeout' });
    expect(run.durationMs).toBeLessThan(6_000);
  });
});
