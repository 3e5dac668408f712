/**
 * Injects each dispatch fault against a real livekit-server (both log formats), then reads the
 * server's own log and checks that the verdict names the injected cause.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import { AgentDispatchClient, RoomServiceClient } from 'livekit-server-sdk';
import { ParticipantInfo_Kind } from '@livekit/protocol';
import type { LiveKitServer } from '../harness/server.js';
import { useLiveServer } from '../harness/live-server.js';
import { expectNoSecrets } from '../harness/scenarios.js';
import { startMiniWorker, type MiniWorker } from '../harness/mini-worker.js';
import { parseServerLog, correlate, classifyServerLog, type ServerLogVerdict } from '../../src/evidence/server-log.js';

// rtc-node logs debug lines unless NODE_ENV is production at import time (vitest sets it to "test").
const previousNodeEnv = process.env.NODE_ENV;
process.env.NODE_ENV = 'production';
const rtc = await import('@livekit/rtc-node');
process.env.NODE_ENV = previousNodeEnv;

interface Scenario {
  room: string;
  agent: string;
  verdicts: ServerLogVerdict[];
}

for (const jsonLog of [false, true]) {
  describe(`server log verdicts from a real server (${jsonLog ? 'JSON' : 'console'} log)`, () => {
    let server: LiveKitServer;
    const workers: MiniWorker[] = [];
    const joinedRooms: InstanceType<typeof rtc.Room>[] = [];
    const results = new Map<string, Scenario>();
    const id = randomBytes(3).toString('hex');
    let assignmentLatencyMs: number | undefined;
    // Every room is deleted at the end of the setup; the leftover check at the end makes sure of it.
    useLiveServer({ onStart: (s) => (server = s), options: { jsonLog, keyCount: 1 } });

    beforeAll(async () => {
      const { key, secret } = server.keys[0]!;
      const dispatch = new AgentDispatchClient(server.httpUrl, key, secret);
      const rooms = new RoomServiceClient(server.httpUrl, key, secret);
      const base = { url: server.url, apiKey: key, apiSecret: secret };
      const since = new Date(Date.now() - 1000);
      try {
        const healthy = await startMiniWorker({ ...base, agentName: `healthy-${id}` });
        const joining = await startMiniWorker({ ...base, agentName: `joining-${id}` });
        const late = await startMiniWorker({ ...base, agentName: `late-${id}`, answerDelayMs: 4000 });
        const full = await startMiniWorker({ ...base, agentName: `full-${id}`, update: { status: 'full', load: 1 } });
        const loaded = await startMiniWorker({ ...base, agentName: `loaded-${id}`, update: { status: 'available', load: 0.8 } });
        const rejecting = await startMiniWorker({ ...base, agentName: `rejecting-${id}`, available: false });
        workers.push(healthy, joining, late, full, loaded, rejecting);
        const cases: [string, string][] = [
          [`livekit-doctor-unknown-${id}`, ` Healthy-${id}`],
          [`livekit-doctor-crash-${id}`, `healthy-${id}`],
          [`livekit-doctor-join-${id}`, `joining-${id}`],
          [`livekit-doctor-late-${id}`, `late-${id}`],
          [`livekit-doctor-full-${id}`, `full-${id}`],
          [`livekit-doctor-loaded-${id}`, `loaded-${id}`],
          [`livekit-doctor-rejecting-${id}`, `rejecting-${id}`],
        ];
        const joinAssignment = joining.waitFor('assignment', 5000);
        const healthyAvailability = healthy.waitFor('availability', 5000);
        const healthyAssignment = healthy.waitFor('assignment', 5000);
        await Promise.all(cases.map(([room, agent]) => dispatch.createDispatch(room, agent)));
        const assignment = await joinAssignment;
        if (assignment?.token) {
          const room = new rtc.Room();
          joinedRooms.push(room);
          await Promise.race([
            room.connect(server.url, assignment.token, { autoSubscribe: false, dynacast: false }),
            new Promise((_, reject) => setTimeout(() => reject(new Error('join took over 10 s')), 10_000)),
          ]);
        }
        const [availability, assigned] = [await healthyAvailability, await healthyAssignment];
        if (availability && assigned) assignmentLatencyMs = assigned.atMs - availability.atMs;
        if (process.env.LKD_PRINT_TIMINGS) console.log(`availability→assignment ${assignmentLatencyMs?.toFixed(1)} ms`);
        // The "no worker" line comes about 5 s after the dispatch; the late answer after 4 s.
        await new Promise((r) => setTimeout(r, 6500));
        const until = new Date(Date.now() + 1000);
        const parsed = parseServerLog(server.log());
        expect(parsed.format).toBe(jsonLog ? 'json' : 'console');
        for (const [room, agent] of cases) {
          const participants = await rooms.listParticipants(room);
          const agentJoined = participants.some((p) => p.kind === ParticipantInfo_Kind.AGENT);
          const evidence = correlate(parsed.entries, { since, until, rooms: [room], agentNames: [agent] });
          results.set(room, { room, agent, verdicts: classifyServerLog(evidence, { dispatchedName: agent, agentJoined }) });
        }
      } finally {
        for (const r of joinedRooms) await r.disconnect().catch(() => undefined);
        for (const w of workers) await w.close();
        for (const r of await rooms.listRooms()) await rooms.deleteRoom(r.name);
      }
    }, 60_000);

    afterAll(async () => {
      if (jsonLog) await rtc.dispose();
    });

    const causes = (prefix: string) => results.get(`livekit-doctor-${prefix}-${id}`)?.verdicts.map((v) => v.cause);

    it('no worker under the dispatched name → no-worker-for-name, naming the near-identical registered name', () => {
      expect(causes('unknown')?.[0]).toBe('no-worker-for-name');
      const verdict = results.get(`livekit-doctor-unknown-${id}`)!.verdicts[0]!;
      expect(verdict.probableIntent?.map((i) => i.agentName)).toEqual([`healthy-${id}`]);
      expect(verdict.probableIntent?.[0]?.differences.join(' ')).toMatch(/leading whitespace.*case differs/);
    });

    it('worker accepted but no agent joined → assigned-not-joined with job and worker id', () => {
      expect(causes('crash')).toEqual(['assigned-not-joined']);
      const verdict = results.get(`livekit-doctor-crash-${id}`)!.verdicts[0]!;
      expect(verdict.jobId).toMatch(/^AJ_/);
      expect(verdict.workerId).toBe(workers[0]!.workerId);
    });

    it('worker accepted and joined → assigned-and-joined', () => {
      expect(causes('join')).toEqual(['assigned-and-joined']);
    });

    it('worker answers after 4 s → answer-timeout', () => {
      expect(causes('late')).toEqual(['answer-timeout']);
    });

    it('worker reports full → worker-full', () => {
      expect(causes('full')).toEqual(['worker-full']);
    });

    it('worker at load 0.8 (above the server target load 0.7) → worker-full', () => {
      expect(causes('loaded')).toEqual(['worker-full']);
    });

    it('worker answers available:false → job-rejected', () => {
      expect(causes('rejecting')).toEqual(['job-rejected']);
    });

    it('the mini worker timestamps frames as they arrive (availability → assignment within 100 ms)', () => {
      expect(assignmentLatencyMs).toBeDefined();
      expect(assignmentLatencyMs!).toBeGreaterThanOrEqual(0);
      expect(assignmentLatencyMs!).toBeLessThan(100);
    });

    it('no verdict quotes the API secret', () => {
      // The server has one key pair: its secret, and no canary at all.
      expectNoSecrets(JSON.stringify([...results.values()]), server);
    });
  });
}
