/**
 * Evidence-driven waits (issue 13): with --wait 30, a decisive source ends the wait at once and the check
 * names it (source, line or endpoint, time after the dispatch); a source with nothing decisive never does.
 * Bounds are generous: "early" means decided well under 10 s of a 30 s wait, not a timing race.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LiveKitServer } from '../harness/server.js';
import { startAgent, type RunningAgent } from '../harness/agents.js';
import { useLiveServer } from '../harness/live-server.js';
import { doctorJson, describeRun, expectFailure, uniqueId, type DoctorRun } from '../harness/scenarios.js';

const EARLY = ['--wait', '30'];
const logsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'logs');

interface DecidedBy {
  source: string;
  line?: number;
  afterDispatchMs: number;
  text: string;
}
const decidedBy = (run: DoctorRun, id: string) => run.check(id).evidence?.decidedBy as DecidedBy | undefined;

describe('a wait ends when the evidence decides', () => {
  let server: LiveKitServer;
  let crashing: RunningAgent;
  let misnamed: RunningAgent;
  const id = uniqueId();
  useLiveServer({ onStart: (s) => (server = s) });

  beforeAll(async () => {
    const base = { framework: 'python' as const, url: server.url, apiKey: server.keys[0]!.key, apiSecret: server.keys[0]!.secret };
    [crashing, misnamed] = await Promise.all([
      startAgent({ ...base, agentName: `crash-${id}`, behaviour: 'crash' }),
      startAgent({ ...base, agentName: `Early-${id}`, behaviour: 'tone' }),
    ]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([crashing, misnamed].map((a) => a?.stop().catch(() => {})));
  });

  it('no worker, --server-log: decided by the server log, far below --wait 30, from its registrations (the server\'s own line comes ~5 s late)', async () => {
    const run = await doctorJson(server, ['--agent', `nobody-${id}`, '--server-log', server.logFile, ...EARLY]);
    const top = await expectFailure(run, 'agent-not-registered', server);
    // The harness server's log starts with its start line: every registration is in it, so the log decides by itself.
    expect(top.evidence.join('\n')).toMatch(new RegExp(`covers this server since it started \\(line \\d+, single-node routing\\) and no worker registered as "nobody-${id}"`));
    const by = decidedBy(run, 'agent.job-taken');
    expect(by?.source, describeRun(run)).toBe('server-log');
    expect(by!.line).toBeGreaterThan(0);
    expect(by!.afterDispatchMs).toBeLessThan(10_000);
    expect(run.check('agent.job-taken').summary).toMatch(/decided by the server log, line \d+, \+\d+ ms after the dispatch/);
    expect(run.report.timeline.some((e) => e.type === 'decided' && e.detail?.source === 'server-log')).toBe(true);
    expect(run.report.durationMs).toBeLessThan(20_000);
  }, 90_000);

  it('name differs byte for byte, --agent-http: decided by the endpoint right after the dispatch', async () => {
    const run = await doctorJson(server, ['--agent', `early-${id}`, '--agent-http', `http://127.0.0.1:${misnamed.httpPort}`, ...EARLY]);
    await expectFailure(run, 'agent-name-mismatch', server);
    const by = decidedBy(run, 'agent.job-taken');
    expect(by?.source, describeRun(run)).toBe('agent-http');
    expect(by!.afterDispatchMs).toBeLessThan(5_000);
    expect(run.report.durationMs).toBeLessThan(20_000);
  }, 90_000);

  it('crash before join, --server-log: the job ended without a join decides agent.joined', async () => {
    const run = await doctorJson(server, ['--agent', crashing.agentName, '--server-log', server.logFile, ...EARLY]);
    await expectFailure(run, 'agent-crashed-before-join', server);
    expect(decidedBy(run, 'agent.job-taken')?.source, describeRun(run)).toBe('server-log');
    const by = decidedBy(run, 'agent.joined');
    expect(by?.source, describeRun(run)).toBe('server-log');
    expect(by!.afterDispatchMs).toBeLessThan(10_000);
    expect(run.report.durationMs).toBeLessThan(20_000);
  }, 90_000);

  describe('non-decisive sources never end a wait', () => {
    let slow: Server;
    let slowUrl: string;
    beforeAll(async () => {
      // Answers GET / and never finishes /worker: an endpoint that is slow says nothing about the name.
      slow = createServer((req, res) => (req.url?.startsWith('/worker') ? undefined : res.end('OK')));
      await new Promise<void>((r) => slow.listen(0, '127.0.0.1', () => r()));
      slowUrl = `http://127.0.0.1:${(slow.address() as { port: number }).port}`;
    });
    afterAll(() => {
      slow.closeAllConnections();
      slow.close();
    });

    it('an unrelated server log and a slow endpoint: the whole --wait, no decision', async () => {
      const run = await doctorJson(server, [
        '--agent', `nobody2-${id}`, '--server-log', join(logsDir, 'livekit-server-v1.13.5-console.log'), '--agent-http', slowUrl, '--timeout', '2', '--wait', '4',
      ]);
      expect(run.code, describeRun(run)).toBe(1);
      const taken = run.check('agent.job-taken');
      expect(taken.evidence?.decidedBy, describeRun(run)).toBeUndefined();
      expect(taken.evidence?.waitedMs as number).toBeGreaterThanOrEqual(3_900);
    }, 90_000);
  });
});
