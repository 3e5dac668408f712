import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import type { LiveKitServer } from '../harness/server.js';
import { runCli, connectionArgs } from '../harness/cli.js';
import { useLiveServer } from '../harness/live-server.js';
import { expectNoSecrets, expectNothingLeft, type ReportJson } from '../harness/scenarios.js';

/**
 * `docker logs -f livekit 2>&1 | livekit-doctor check --server-log -`, for real: the server's log is
 * followed live (`tail -F`) into the doctor's stdin while the run goes on.
 */
describe('check --server-log - (a live log piped into stdin)', () => {
  let server: LiveKitServer;
  useLiveServer({ onStart: (s) => (server = s) });

  it('names the exact reason from the piped log: no worker under the dispatched name', async () => {
    const tail = spawn('tail', ['-n', '+1', '-F', server.logFile], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const run = await runCli(['check', ...connectionArgs(server), '--agent', 'nobody-registered-this', '--server-log', '-', '--wait', '3', '--json'], {
        keepStdinOpen: true,
        timeoutMs: 60_000,
        onSpawn: (child) => tail.stdout.pipe(child.stdin!),
      });
      expect(run.code, run.stderr).toBe(1);
      const report = JSON.parse(run.stdout) as ReportJson;
      const verdict = report.checks.find((c) => c.id === 'server-log.verdict')!;
      expect(verdict).toMatchObject({ status: 'fail', cause: 'no-worker-for-name' });
      const top = [...report.findings].sort((a, b) => a.rank - b.rank)[0]!;
      expect(top.cause).toBe('agent-not-registered');
      // Piped from its first line, the log shows every registration: it decides before the server's own line.
      expect(top.evidence.some((l) => l.includes('no worker registered as "nobody-registered-this"') || (l.includes('not dispatching agent job since no worker is available') && l.includes('nobody-registered-this')))).toBe(true);
      expectNoSecrets(run, server, { canary: false });
      await expectNothingLeft(server);
    } finally {
      tail.kill();
    }
  });
});
