/** Helpers shared by the real-agent scenario tests (scenarios-*.test.ts). */
import { expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { CheckResult, Finding, Report } from '../../src/core/model.js';
import { runCli, connectionArgs, type CliRun } from './cli.js';
import { doctorLeftovers } from './leftovers.js';
import { startLiveKitServer, type LiveKitServer } from './server.js';

export const WAIT = ['--wait', '6'];
export const RUN_TIMEOUT_MS = 80_000;
export const uniqueId = () => randomBytes(3).toString('hex');

export interface DoctorRun extends CliRun {
  report: Report;
  check(id: string): CheckResult;
  top: Finding | undefined;
}

/** `livekit-doctor check … --json` against a harness server, parsed. */
export async function doctorJson(server: LiveKitServer, args: string[]): Promise<DoctorRun> {
  const run = await runCli(['check', ...args, ...connectionArgs(server), '--json'], { timeoutMs: RUN_TIMEOUT_MS });
  let report: Report;
  try {
    report = JSON.parse(run.stdout) as Report;
  } catch {
    throw new Error(`no JSON report (exit ${run.code}); stderr:\n${run.stderr.slice(-3000)}\nstdout:\n${run.stdout.slice(0, 3000)}`);
  }
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  return {
    ...run,
    report,
    check: (id) => byId.get(id) ?? expect.fail(`no check ${id} in the report; checks: ${[...byId.keys()].join(', ')}`),
    top: [...report.findings].sort((a, b) => a.rank - b.rank)[0],
  };
}

/** A one-line description of a run for assertion messages. */
export function describeRun(run: DoctorRun): string {
  const checks = run.report.checks.map((c) => `${c.status.padEnd(4)} ${c.id}: ${c.summary}`).join('\n');
  const findings = run.report.findings.map((f) => `#${f.rank} ${f.cause} (${f.likelihood}): ${f.title}`).join('\n');
  return `exit ${run.code}\n${checks}\nfindings:\n${findings}\nstderr: ${run.stderr.slice(-1500)}`;
}

/** No API secret of any harness server in anything the doctor wrote. */
export function expectNoSecrets(run: CliRun, ...servers: LiveKitServer[]): void {
  for (const server of servers) {
    for (const { secret } of server.keys) {
      expect(run.stdout).not.toContain(secret);
      expect(run.stderr).not.toContain(secret);
    }
  }
  expect(`${run.stdout}${run.stderr}`).not.toContain('SECRETLEAKCANARY');
}

export async function expectNothingLeft(server: LiveKitServer): Promise<void> {
  expect(await doctorLeftovers(server)).toEqual({ rooms: [], dispatches: [] });
}

/** The common end of every failing scenario: exit 1, the named cause on top, no secret, nothing left. */
export async function expectFailure(run: DoctorRun, cause: string, server: LiveKitServer, ...others: LiveKitServer[]): Promise<Finding> {
  expect(run.code, describeRun(run)).toBe(1);
  expect(run.top?.cause, describeRun(run)).toBe(cause);
  expectNoSecrets(run, server, ...others);
  await expectNothingLeft(server);
  return run.top!;
}

/** A free port can be taken by another process between picking and binding (other test files, other servers): retry, bounded. */
export async function startServer(opts: Parameters<typeof startLiveKitServer>[0] = {}): Promise<LiveKitServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startLiveKitServer(opts);
    } catch (err) {
      if (attempt >= 3 || !/exited during start/.test((err as Error).message)) throw err;
    }
  }
}
