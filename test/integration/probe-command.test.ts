import { describe, it, expect } from 'vitest';
import { AgentDispatchClient, RoomServiceClient } from 'livekit-server-sdk';
import type { LiveKitServer } from '../harness/server.js';
import { connectionArgs, runCli } from '../harness/cli.js';
import { useLiveServer } from '../harness/live-server.js';
import { expectNoSecrets, JWT_HEADER } from '../harness/scenarios.js';

let server: LiveKitServer;
useLiveServer({ onStart: (s) => (server = s), options: { keyCount: 2 } });

function waitFor(read: () => string, pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = () => {
      const m = read().match(pattern);
      if (m) return resolve(m);
      if (Date.now() > until) return reject(new Error(`no ${pattern} within ${ms} ms; got:\n${read()}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}

describe('livekit-doctor probe', () => {
  it('prints a dispatched job as NDJSON, joins, and exits 130 on SIGINT after cleaning up', async () => {
    const { key, secret } = server.keys[0]!;
    const room = `livekit-doctor-test-cmd-${Date.now()}`;
    const dispatch = new AgentDispatchClient(server.httpUrl, key, secret);
    let dispatchedId = '';
    const run = await runCli(['probe', '--json', ...connectionArgs(server)], {
      timeoutMs: 40_000,
      onSpawn: (child, io) => {
        (async () => {
          const [, name] = await waitFor(io.stderr, /registered as "([^"]+)"/, 15_000);
          dispatchedId = (await dispatch.createDispatch(room, name!, { metadata: 'from-the-test' })).id;
          await waitFor(io.stdout, /"event":"left"/, 15_000);
          child.kill('SIGINT');
        })().catch((err) => {
          console.error(err);
          child.kill('SIGINT');
        });
      },
    });
    await new RoomServiceClient(server.httpUrl, key, secret).deleteRoom(room).catch(() => {});
    const lines = run.stdout.trim().split('\n');
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>); // only JSON on stdout
    expect(events.map((e) => e.event)).toEqual(['registered', 'job', 'assignment', 'joined', 'left', 'stopped']);
    expect(events[0]).toMatchObject({ workerId: expect.stringMatching(/^AW_/), mode: 'accept', server: { version: '1.13.5' } });
    expect(events[1]).toMatchObject({ room, dispatchId: dispatchedId, metadata: 'from-the-test', accepted: true });
    expect(events[1]!.sinceRegisteredMs).toBeGreaterThan(0);
    expect(events[5]).toMatchObject({ by: 'SIGINT', jobs: 1, joined: 1 });
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/stopping \(SIGINT\)/);
    expectNoSecrets(run, server, { patterns: [JWT_HEADER], canary: false });
  });

  it('warns when the user names the agent, prints jobs for people, and ends after --duration with 0', async () => {
    const { key, secret } = server.keys[0]!;
    const room = `livekit-doctor-test-cmd2-${Date.now()}`;
    const name = `livekit-doctor-probe-named${Date.now() % 100000}`;
    const run = await runCli(['probe', '--agent-name', name, '--mode', 'reject', '--duration', '4', ...connectionArgs(server)], {
      timeoutMs: 30_000,
      onSpawn: (_child, io) => {
        waitFor(io.stderr, /registered as/, 15_000)
          .then(() => new AgentDispatchClient(server.httpUrl, key, secret).createDispatch(room, name))
          .catch(() => {});
      },
    });
    await new RoomServiceClient(server.httpUrl, key, secret).deleteRoom(room).catch(() => {});
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`warning: registering under "${name}": real jobs for that name may land on the probe`));
    expect(run.stdout).toMatch(new RegExp(`\\[\\+\\d+\\.\\d\\d s\\] job AJ_\\w+  room ${room}  dispatch AD_\\w+  agent "${name}"  metadata -  → reject`));
    expect(run.stdout).not.toMatch(/assigned/);
    expect(run.stderr).toMatch(/duration reached/);
  });

  it('exits 143 on SIGTERM', async () => {
    const run = await runCli(['probe', ...connectionArgs(server)], {
      timeoutMs: 20_000,
      onSpawn: (child, io) => {
        waitFor(io.stderr, /registered as/, 15_000).then(() => child.kill('SIGTERM'), () => child.kill('SIGKILL'));
      },
    });
    expect(run.code).toBe(143);
    expect(run.stderr).toMatch(/stopping \(SIGTERM\): 0 job request\(s\)/);
  });

  it('fails with a classified one-line error and exit 2 on a wrong secret, without printing it', async () => {
    const wrong = `SECRETLEAKCANARY${'0'.repeat(32)}`;
    const run = await runCli(['probe', '--url', server.url, '--api-key', server.keys[1]!.key, '--api-secret', wrong], { timeoutMs: 20_000 });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/probe worker could not register: .*401/);
    expect(run.stderr).toMatch(/fix: the API secret does not belong to this API key/);
    expect(run.stdout).toBe('');
    expectNoSecrets(run, { secrets: [wrong], patterns: [JWT_HEADER], canary: false });
  });
});
