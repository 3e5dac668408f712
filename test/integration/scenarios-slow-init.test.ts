/**
 * A worker that never gets ready (issue 14, N8): the fixture's prewarm outlasts its initialisation timeout
 * (1.5 s), so the worker registers and accepts the job, and no job process ever gets ready to run it. Measured
 * on livekit-agents 1.8.9 and @livekit/agents 1.9.0: GET / answers 200 throughout, active_jobs stays 0 (both
 * count a job only once a process runs it), the server logs the assignment and nothing after it (no
 * `job ended`), no agent joins. One test per framework: the top finding, its evidence, nothing left behind.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { LiveKitServer } from '../harness/server.js';
import { startAgent, type RunningAgent } from '../harness/agents.js';
import { useLiveServer } from '../harness/live-server.js';
import { doctorJson, describeRun, expectFailure, uniqueId } from '../harness/scenarios.js';
import type { ActiveJobsWatch } from '../../src/evidence/agent-http.js';

const INIT_TIMEOUT_LOG = { python: /error initializing process[\s\S]*failed to acquire process for job/, node: /runner initialization timed out/ };

describe('a worker whose job processes never get ready (slow initialisation)', () => {
  let server: LiveKitServer;
  const agents = new Map<'python' | 'node', RunningAgent>();
  const id = uniqueId();
  useLiveServer({ onStart: (s) => (server = s) });

  beforeAll(async () => {
    const base = { url: server.url, apiKey: server.keys[0]!.key, apiSecret: server.keys[0]!.secret };
    const [python, node] = await Promise.all(
      (['python', 'node'] as const).map((framework) => startAgent({ framework, ...base, agentName: `slow-init-${framework}-${id}`, behaviour: 'slow-init' })),
    );
    agents.set('python', python!).set('node', node!);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([...agents.values()].map((a) => a.stop().catch(() => {})));
  });

  for (const framework of ['python', 'node'] as const) {
    it(`${framework}: job assigned, never counted by the worker, no job ended: job-process-not-ready with the fix for start-up`, async () => {
      const agent = agents.get(framework)!;
      const endpoint = `http://127.0.0.1:${agent.httpPort}`;
      const run = await doctorJson(server, ['--agent', agent.agentName, '--agent-http', endpoint, '--server-log', server.logFile, '--wait', '10']);
      const top = await expectFailure(run, 'job-process-not-ready', server);
      expect(top.title).toContain(`Your worker ${agent.workerId} accepted job AJ_`);
      expect(top.evidence.some((l) => l.includes('assigned job to worker') && l.includes(agent.workerId)), top.evidence.join('\n')).toBe(true);
      expect(top.evidence.join('\n')).toMatch(/active_jobs stayed at 0 in \d+ readings over \d+\.\d s/);
      expect(top.fix.text).toMatch(/initialize_process_timeout \/ initializeProcessTimeout/);
      expect(top.fix.text).toMatch(/download-files/);
      expect(top.fix.text).toMatch(/num_idle_processes/);
      // What the doctor measured, as the finding reads it: the endpoint stayed healthy and never counted the job.
      expect(run.check('agent-http.healthy').status).toBe('pass');
      expect(run.check('server-log.verdict').cause).toBe('assigned-not-joined');
      const watches = run.check('agent.joined').evidence?.activeJobs as ActiveJobsWatch[];
      expect(watches, describeRun(run)).toHaveLength(1);
      expect(watches[0]).toMatchObject({ before: 0, highest: 0 });
      expect(watches[0]!.readings).toBeGreaterThanOrEqual(3);
      // The crash story from timing alone stays, below the evidence.
      expect(run.report.findings.find((f) => f.cause === 'agent-crashed-before-join')?.likelihood).toBe('low');
      // The fixture did what it claims: the framework timed out its process start.
      expect(agent.logs()).toMatch(INIT_TIMEOUT_LOG[framework]);
    }, 90_000);
  }
});
