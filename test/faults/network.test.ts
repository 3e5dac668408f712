/**
 * Network faults (toxiproxy v2.12.0 in front of a real livekit-server), the server killed and frozen, and
 * SIGINT/SIGTERM at several points of check, bench, probe and --repeat. Every case ends in the one
 * assertion (expectFaultHandled): exit code, deadline, one line, no stack, no secret, nothing left.
 */
import { describe, it, beforeAll, afterAll, afterEach, expect } from 'vitest';
import { startToxiproxy, type Toxiproxy, type ToxiProxy, type Toxic } from '../harness/toxiproxy.js';
import { startLiveServer } from '../harness/live-server.js';
import type { LiveKitServer } from '../harness/server.js';
import { disposeRtc } from '../../src/livekit/participant.js';
import { expectFaultHandled, expectNoDoctorRooms, removeDoctorRooms, runFault, whenServerLogs } from '../harness/faults.js';

let toxi: Toxiproxy;
let server: LiveKitServer;
let proxy: ToxiProxy;
const T = 2; // --timeout (s)
const FAST = ['--timeout', String(T), '--wait', '3'];
const via = () => ['--url', `ws://${proxy.listen}`, '--api-key', server.keys[0]!.key, '--api-secret', server.keys[0]!.secret];

beforeAll(async () => {
  [toxi, server] = await Promise.all([startToxiproxy(), startLiveServer()]);
  proxy = await toxi.createProxy('livekit', `127.0.0.1:${server.port}`);
});
afterEach(async () => {
  await toxi.reset();
  await removeDoctorRooms(server);
});
afterAll(async () => {
  await toxi?.stop();
  await server?.stop();
  await disposeRtc();
});

const check = (extra: string[] = [], opts = {}) => runFault(['check', ...via(), ...FAST, ...extra], opts);
/** Any line that says what went wrong on the way, or that the run passed. */
const NAMED = /✔|✘|passed|failed|timeout|did not answer|no answer|reset|cut|refused|closed|could not be removed|within/i;

describe('degraded but working network: the run decides, nothing is left', () => {
  const toxics: [string, Toxic][] = [
    ['latency 150 ms', { type: 'latency', attributes: { latency: 150 } }],
    ['latency 400 ms ± 200 upstream', { type: 'latency', stream: 'upstream', attributes: { latency: 400, jitter: 200 } }],
    ['bandwidth 20 KB/s', { type: 'bandwidth', attributes: { rate: 20 } }],
    ['slicer (TCP segments of ~10 bytes)', { type: 'slicer', attributes: { average_size: 10, size_variation: 5, delay: 100 } }],
  ];
  for (const [name, toxic] of toxics) {
    it(`check under ${name}`, async () => {
      await proxy.addToxic(toxic);
      await expectFaultHandled(await check(), { exit: [0, 1], deadlineMs: 60_000, line: NAMED, server });
    });
  }
});

describe('a path that does not work from the start', () => {
  it('blackhole (nothing ever answers): ends within the deadlines, exit 1', async () => {
    await proxy.addToxic({ type: 'timeout', attributes: { timeout: 0 } });
    await expectFaultHandled(await check(), { exit: 1, deadlineMs: 30_000, line: /timeout|did not answer|no answer|within/i, server });
  });
  it('reset on the first byte: exit 1, "reset"/"cut"', async () => {
    await proxy.addToxic({ type: 'reset_peer', attributes: { timeout: 0 } });
    await expectFaultHandled(await check(), { exit: 1, deadlineMs: 30_000, line: /reset|cut|closed|socket/i, server });
  });
  it('connection refused (proxy down): exit 1, "refused"', async () => {
    await proxy.disable();
    await expectFaultHandled(await check(), { exit: 1, deadlineMs: 30_000, line: /refused/i, server });
  });
  it('rooms through a blackhole: one line, exit 1, within --timeout', async () => {
    await proxy.addToxic({ type: 'timeout', attributes: { timeout: 0 } });
    await expectFaultHandled(await runFault(['rooms', ...via(), '--timeout', String(T)]), { exit: 1, deadlineMs: 15_000, line: /^livekit-doctor: ListRooms: .*(timeout|no answer)/i, server });
  });
});

describe('cuts at byte counts that land in the API answer, the worker registration, the job request and the rtc join', () => {
  for (const bytes of [300, 1000, 2500, 6000, 12000, 30000]) {
    it(`connections closed after ${bytes} bytes (downstream)`, async () => {
      await proxy.addToxic({ type: 'limit_data', attributes: { bytes } });
      await expectFaultHandled(await check(), { exit: [0, 1], deadlineMs: 60_000, line: NAMED, server });
    });
  }
  for (const bytes of [500, 3000]) {
    it(`connections closed after ${bytes} bytes (upstream)`, async () => {
      await proxy.addToxic({ type: 'limit_data', stream: 'upstream', attributes: { bytes } });
      await expectFaultHandled(await check(), { exit: [0, 1], deadlineMs: 60_000, line: NAMED, server });
    });
  }
  it('reset mid-stream (after 300 ms)', async () => {
    await proxy.addToxic({ type: 'reset_peer', attributes: { timeout: 300 } });
    await expectFaultHandled(await check(), { exit: [0, 1], deadlineMs: 60_000, line: NAMED, server });
  });
});

describe('the network lost mid-run', () => {
  it('for 3 s after the probe registered: cleanup waits for it to come back, nothing is left', async () => {
    const run = check([], {
      // Once the server created the doctor's room: the path goes for 3 s.
      onSpawn: () => {
        whenServerLogs(server, /CreateRoom.*"room": "livekit-doctor-/, () => {
          void proxy.disable();
          setTimeout(() => void proxy.enable(), 3000);
        });
      },
    });
    await expectFaultHandled(await run, { exit: [0, 1], deadlineMs: 60_000, line: NAMED, server });
  });
  it('for good: the rooms left are named with the exact command, and that command removes them', async () => {
    const run = await check(['--verbose'], {
      // Once the server created the doctor's room, the path goes for good.
      onSpawn: () => {
        whenServerLogs(server, /CreateRoom.*"room": "livekit-doctor-/, () => void proxy.disable());
      },
    });
    const command = /livekit-doctor cleanup --delete [^`\n]*/.exec(run.stdout + run.stderr)?.[0];
    await proxy.enable();
    if (command) {
      // What the user would run later: the printed command, credentials from the same place.
      const args = command.replace(/^livekit-doctor /, '').split(' ');
      const cleanup = await runFault([...args, '--api-key', server.keys[0]!.key, '--api-secret', server.keys[0]!.secret]);
      expect(cleanup.code, cleanup.stderr).toBe(0);
    }
    await expectFaultHandled(run, { exit: [0, 1], deadlineMs: 90_000, line: command ? /could not be removed: livekit-doctor-/ : NAMED, server });
  });
});

describe('interrupts: 130 / 143 after cleanup, nothing left', () => {
  /** Points of the run fixed by what the server saw (its own log), not by a timer. */
  const points: [string, string[], NodeJS.Signals, RegExp][] = [
    ['check, SIGINT once the probe worker registered', ['check'], 'SIGINT', /worker registered/],
    ['check, SIGINT as the room is created', ['check'], 'SIGINT', /CreateRoom.*"room": "livekit-doctor-/],
    ['check, SIGTERM as the probe is dispatched', ['check'], 'SIGTERM', /CreateDispatch/],
    // A probe-only run ends a few hundred ms after its join: an agent nobody serves keeps the run going for
    // --wait, so the signal lands inside the run however slowly this machine reads the server's log.
    ['check, SIGINT as the job is assigned (the join in flight)', ['check', '--agent', 'livekit-doctor-fault-nobody', '--wait', '30'], 'SIGINT', /assigned job to worker/],
    ['check, SIGTERM once the probe joined', ['check', '--agent', 'livekit-doctor-fault-nobody', '--wait', '30'], 'SIGTERM', /participant active/],
    ['check --repeat 3, SIGINT in the second run', ['check', '--repeat', '3', '--interval', '1'], 'SIGINT', /CreateDispatch[\s\S]*CreateDispatch/],
    ['bench, SIGINT with dispatches in flight', ['bench', '--dispatches', '8', '--concurrency', '4'], 'SIGINT', /CreateDispatch[\s\S]*CreateDispatch/],
    ['bench, SIGTERM with joins in flight', ['bench', '--dispatches', '8', '--concurrency', '4'], 'SIGTERM', /assigned job to worker/],
    ['probe, SIGINT once registered', ['probe'], 'SIGINT', /worker registered/],
  ];
  for (const [name, args, signal, pattern] of points) {
    it(name, async () => {
      const run = await runFault([...args, '--url', server.url, '--api-key', server.keys[0]!.key, '--api-secret', server.keys[0]!.secret, '--timeout', String(T)], {
        onSpawn: (child) => {
          const stop = whenServerLogs(server, pattern, () => child.kill(signal));
          child.once('close', stop);
        },
      });
      await expectFaultHandled(run, { exit: signal === 'SIGTERM' ? 143 : 130, deadlineMs: 60_000, line: /interrupt|SIGINT|SIGTERM|stopping/i, server });
    });
  }
});

describe('the server frozen and killed mid-run', () => {
  it('SIGSTOP after the probe registered, SIGCONT after the run: the run ends in time, leftovers are named or gone', async () => {
    const s = await startLiveServer();
    try {
      let stopped = false;
      const run = await runFault(['check', '--url', s.url, '--api-key', s.keys[0]!.key, '--api-secret', s.keys[0]!.secret, ...FAST, '--verbose'], {
        onSpawn: (child, out) => {
          void (async () => {
            for (let i = 0; i < 300 && !/dispatch/i.test(out.stdout() + out.stderr()) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 20));
            process.kill(s.pid, 'SIGSTOP');
            stopped = true;
          })();
        },
      });
      if (stopped) process.kill(s.pid, 'SIGCONT');
      const command = /livekit-doctor cleanup --delete [^`\n]*/.exec(run.stdout + run.stderr)?.[0];
      if (command) {
        const cleanup = await runFault([...command.replace(/^livekit-doctor /, '').split(' '), '--api-key', s.keys[0]!.key, '--api-secret', s.keys[0]!.secret]);
        expect(cleanup.code, cleanup.stderr).toBe(0);
      }
      await expectFaultHandled(run, { exit: [0, 1], deadlineMs: 90_000, line: NAMED, server: s });
    } finally {
      try {
        process.kill(s.pid, 'SIGCONT');
      } catch {
        // already gone
      }
      await s.stop();
    }
  });
  it('SIGKILL after the probe registered: exit 1 naming the lost connection (the rooms died with the server)', async () => {
    const s = await startLiveServer();
    try {
      const run = await runFault(['check', '--url', s.url, '--api-key', s.keys[0]!.key, '--api-secret', s.keys[0]!.secret, ...FAST, '--verbose'], {
        onSpawn: (child, out) => {
          void (async () => {
            for (let i = 0; i < 300 && !/registered|worker/i.test(out.stdout() + out.stderr()) && child.exitCode === null; i++) await new Promise((r) => setTimeout(r, 20));
            process.kill(s.pid, 'SIGKILL');
          })();
        },
      });
      await expectFaultHandled(run, { exit: [0, 1], deadlineMs: 90_000, line: NAMED });
    } finally {
      await s.stop();
    }
  });
});

it('after all cases, the shared server holds no livekit-doctor room', async () => {
  await expectNoDoctorRooms(server);
});
