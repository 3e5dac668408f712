/**
 * Helpers shared by the integration tests: the report as `--json` prints it, the one secret scan, the
 * leftover check, and what the real-agent scenario tests (scenarios-*.test.ts) have in common.
 */
import { expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { CheckResult, Finding, Report } from '../../src/core/model.js';
import { runCli, connectionArgs, type CliRun } from './cli.js';
import { expectNothingLeft } from './leftovers.js';
import { startLiveServer } from './live-server.js';
import type { LiveKitServer } from './server.js';

export { expectNothingLeft };

export const WAIT = ['--wait', '6'];
export const RUN_TIMEOUT_MS = 80_000;
export const uniqueId = () => randomBytes(3).toString('hex');

/** `check --json` on stdout: the Report as built, keys ordered (render-json.ts). */
export type ReportJson = Report;

export interface DoctorRun extends CliRun {
  report: ReportJson;
  check(id: string): CheckResult;
  top: Finding | undefined;
}

/** `livekit-doctor check … --json` against a harness server, parsed. */
export async function doctorJson(server: LiveKitServer, args: string[]): Promise<DoctorRun> {
  const run = await runCli(['check', ...args, ...connectionArgs(server), '--json'], { timeoutMs: RUN_TIMEOUT_MS });
  let report: ReportJson;
  try {
    report = JSON.parse(run.stdout) as ReportJson;
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

/** The header and payload of a signed JWT (`eyJ….….`). */
export const JWT_LIKE = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\./;
/** The encoded header of a JWT (`eyJ…….`), enough to tell a token was printed. */
export const JWT_HEADER = /eyJ[A-Za-z0-9_-]{10,}\./;
/** Every secret the harness makes carries it (server.ts makeKeyPair). */
export const SECRET_CANARY = 'SECRETLEAKCANARY';

/** What a secret scan looks for besides the API secrets of the servers given. */
export interface SecretScan {
  /** More secret values: a wrong secret or a stranger's key pair the test passed on the command line. */
  secrets?: readonly string[];
  /** Patterns that must not match: a JWT (JWT_LIKE, JWT_HEADER), an Authorization value. */
  patterns?: readonly RegExp[];
  /**
   * The canary: `true` (the default) — no `SECRETLEAKCANARY` at all; a string — not this exact marker;
   * `false` — not scanned for (the output may name a canary-carrying value that is no secret).
   */
  canary?: boolean | string;
  /** Assertion message, e.g. which file of a bundle was scanned. */
  label?: string;
}

/** A run (its stdout and stderr), one text, or several. */
export type ScannedOutput = CliRun | string | readonly string[];

function textsOf(output: ScannedOutput): readonly string[] {
  if (typeof output === 'string') return [output];
  if ('stdout' in output) return [output.stdout, output.stderr];
  return output;
}

/**
 * The one secret scan: no API secret of any harness server given, no other secret named, no pattern, and
 * (unless `canary: false`) no canary in anything the doctor wrote. The texts are scanned as one, joined by
 * newlines (no secret or token holds a newline, so nothing is found across two texts).
 *
 *   expectNoSecrets(run, server)                                      the API secrets and the canary
 *   expectNoSecrets([run.stdout, html], server, { patterns: [JWT_LIKE], canary: false })
 */
export function expectNoSecrets(output: ScannedOutput, ...from: (LiveKitServer | SecretScan)[]): void {
  const text = textsOf(output).join('\n');
  const secrets: string[] = [];
  const patterns: RegExp[] = [];
  let canary: boolean | string = true;
  let label: string | undefined;
  for (const f of from) {
    if ('keys' in f) {
      secrets.push(...f.keys.map((k) => k.secret));
      continue;
    }
    secrets.push(...(f.secrets ?? []));
    patterns.push(...(f.patterns ?? []));
    if (f.canary !== undefined) canary = f.canary;
    if (f.label !== undefined) label = f.label;
  }
  for (const secret of secrets) expect(text, label).not.toContain(secret);
  for (const pattern of patterns) expect(text, label).not.toMatch(pattern);
  if (canary !== false) expect(text, label).not.toContain(canary === true ? SECRET_CANARY : canary);
}

/** The common end of every failing scenario: exit 1, the named cause on top, no secret, nothing left. */
export async function expectFailure(run: DoctorRun, cause: string, server: LiveKitServer, ...others: LiveKitServer[]): Promise<Finding> {
  expect(run.code, describeRun(run)).toBe(1);
  expect(run.top?.cause, describeRun(run)).toBe(cause);
  expectNoSecrets(run, server, ...others);
  await expectNothingLeft(server);
  return run.top!;
}

/** A real livekit-server, its start retried when a picked free port was taken (live-server.ts startLiveServer). */
export const startServer = startLiveServer;
