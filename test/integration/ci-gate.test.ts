import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { strFromU8, unzipSync } from 'fflate';
import { makeKeyPair, type LiveKitServer } from '../harness/server.js';
import { runCli, connectionArgs } from '../harness/cli.js';
import { doctorLeftovers, expectNothingLeft } from '../harness/leftovers.js';
import { useLiveServer } from '../harness/live-server.js';
import { expectNoSecrets, type ReportJson, type SecretScan } from '../harness/scenarios.js';

/** The CI contract of `check` against a real livekit-server: JUnit, GitHub, --strict, exit codes, --repeat, bundle. */

interface Spread { samples: number; min: number; median: number; p95: number; max: number }
interface RepeatJson {
  schema: string;
  runs: ReportJson[];
  summary: {
    requestedRuns: number; completedRuns: number; passedRuns: number; failedRuns: number; interrupted: boolean; exitCode: number;
    checks: { id: string; passRate: number; runs: number; causes: Record<string, number>; durationMs?: Spread }[];
    latencies: { id: string; fromCheck: string; spreadMs: Spread }[];
  };
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['testsuite', 'testcase'].includes(name) });
const JWT = /eyJ[A-Za-z0-9_-]{2,}\.eyJ[A-Za-z0-9_-]{2,}\./;
// A header or bearer value that is not the redaction marker.
const AUTH_VALUE = /(authorization"?\s*[:=]\s*"?|bearer\s+)(?!\[redacted\])(?!Bearer\s+\[redacted\])[A-Za-z0-9._~+/=-]{8,}/i;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lkd-ci-'));
}

/** Besides the server's secrets and the canary: no JWT, no Authorization value; `name` says what was scanned. */
const clean = (name: string): SecretScan => ({ patterns: [JWT, AUTH_VALUE], label: name });

function junitCases(file: string) {
  const text = readFileSync(file, 'utf8');
  expect(XMLValidator.validate(text)).toBe(true);
  const suites = xml.parse(text).testsuites.testsuite as Record<string, any>[];
  return { text, suites, cases: suites.flatMap((s) => s.testcase as Record<string, any>[]) };
}

function expectOrdered(s: Spread | undefined, what: string): void {
  expect(s, what).toBeDefined();
  expect(s!.min, what).toBeLessThanOrEqual(s!.median);
  expect(s!.median, what).toBeLessThanOrEqual(s!.p95);
  expect(s!.p95, what).toBeLessThanOrEqual(s!.max);
}

describe('CI gate against a real livekit-server', () => {
  let server: LiveKitServer;
  let wrongSecret: string[];
  let checkIds: string[];
  useLiveServer({ onStart: (s) => (server = s) });
  beforeAll(async () => {
    wrongSecret = ['--url', server.url, '--api-key', server.keys[0]!.key, '--api-secret', makeKeyPair().secret];
    const list = await runCli(['check', '--list-checks', '--json']);
    checkIds = (JSON.parse(list.stdout) as { checks: { id: string }[] }).checks.map((c) => c.id);
  });

  it('--junit on a healthy run: one passing testcase per check, with times', async () => {
    const dir = tempDir();
    const run = await runCli(['check', ...connectionArgs(server), '--junit', join(dir, 'out.xml'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    const ran = (JSON.parse(run.stdout) as RepeatJson['runs'][0]).checks.map((c) => c.id);
    const { suites, cases, text } = junitCases(join(dir, 'out.xml'));
    expect(suites).toHaveLength(1);
    expect(cases.map((c) => c['@id'])).toEqual(ran);
    expect(ran.every((id) => checkIds.includes(id))).toBe(true);
    expect(suites[0]!['@failures']).toBe('0');
    for (const c of cases) {
      expect(c.failure, c['@id']).toBeUndefined();
      expect(Number(c['@time']), c['@id']).toBeGreaterThanOrEqual(0);
    }
    expect(Number(cases.find((c) => c['@id'] === 'probe.job-received')!['@time'])).toBeGreaterThan(0.1);
    expectNoSecrets(text, server, clean('junit'));
  });

  it('--junit on a failing run (wrong secret): the failure carries cause and fix, the rest is skipped with its need', async () => {
    const dir = tempDir();
    const run = await runCli(['check', ...wrongSecret, '--junit', join(dir, 'out.xml')]);
    expect(run.code).toBe(1);
    const { suites, cases, text } = junitCases(join(dir, 'out.xml'));
    const failed = cases.filter((c) => c.failure);
    expect(failed.map((c) => c['@id'])).toEqual(['server.credentials']);
    expect(failed[0]!.failure['@message']).toMatch(/^fail: /);
    expect(failed[0]!.failure['@type']).toBe('bad-signature');
    expect(failed[0]!.failure['#text']).toContain('cause: bad-signature');
    expect(failed[0]!.failure['#text']).toMatch(/\nfix: \S/);
    const skipped = cases.filter((c) => c.skipped !== undefined);
    expect(skipped.length).toBeGreaterThan(3);
    for (const c of skipped) expect(c.skipped['@message'], c['@id']).toMatch(/^needs [a-z.-]+: /);
    expect(suites[0]!['@failures']).toBe('1');
    expect(suites[0]!['@skipped']).toBe(String(skipped.length));
    expectNoSecrets(text + run.stdout + run.stderr, server, clean('junit'));
  });

  it('--format github: healthy run has no ::error and writes the checklist to GITHUB_STEP_SUMMARY', async () => {
    const summaryFile = join(tempDir(), 'summary.md');
    writeFileSync(summaryFile, '');
    const run = await runCli(['check', ...connectionArgs(server), '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summaryFile } });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('::error');
    expect(run.stdout).not.toContain('::warning');
    const md = readFileSync(summaryFile, 'utf8');
    expect(md).toMatch(/^### ✅ livekit-doctor: \d+ passed, 0 failed, 0 skipped\n/);
    expect(md).toContain('| | Check | Result | Took | Cause and fix |');
    for (const id of ['server.credentials', 'probe.job-received', 'probe.joined', 'cleanup']) expect(md).toContain(`\`${id}\``);
    expectNoSecrets(md + run.stdout + run.stderr, server, clean('summary'));
  });

  it('--format github: a failing run annotates the failed check with cause and fix', async () => {
    const summaryFile = join(tempDir(), 'summary.md');
    const run = await runCli(['check', ...wrongSecret, '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summaryFile } });
    expect(run.code).toBe(1);
    const errors = run.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^::error title=livekit-doctor%3A [^:]+::.*%0Acause: bad-signature%0Afix: /);
    expect(readFileSync(summaryFile, 'utf8')).toMatch(/^### ❌ livekit-doctor: /);
    expectNoSecrets(run.stdout + run.stderr + readFileSync(summaryFile, 'utf8'), server, clean('github'));
  });

  it('--strict: a warning (explicit --probe-name) exits 0 without it and 1 with it', async () => {
    const probeName = ['--probe-name', `ci-gate-probe-${makeKeyPair().key.slice(-8)}`];
    const lenient = await runCli(['check', ...connectionArgs(server), ...probeName, '--format', 'github']);
    expect(lenient.code, lenient.stderr).toBe(0);
    expect(lenient.stdout).toMatch(/^::warning title=livekit-doctor%3A [^:\n]+::[^\n]*%0Acause: probe-shares-name/m);
    expect(lenient.stdout).not.toContain('::error');
    const dir = tempDir();
    const strict = await runCli(['check', ...connectionArgs(server), ...probeName, '--strict', '--format', 'github', '--junit', join(dir, 'out.xml')]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^::error title=livekit-doctor%3A [^:\n]+::[^\n]*%0Acause: probe-shares-name/m);
    const failed = junitCases(join(dir, 'out.xml')).cases.filter((c) => c.failure);
    expect(failed.map((c) => c['@id'])).toEqual(['probe.registered']);
    expect(failed[0]!.failure['@message']).toMatch(/^warn: /);
    await expectNothingLeft(server);
  });

  it('exit 2 for unusable settings and for bad --repeat/--interval values', async () => {
    const noSecret = await runCli(['check', '--url', server.url, '--api-key', server.keys[0]!.key]);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stdout).toContain('no API secret is set');
    for (const bad of [['--repeat', '0'], ['--repeat', '1001'], ['--repeat', 'many'], ['--repeat', '2', '--interval', '-1'], ['--interval', '1']]) {
      const run = await runCli(['check', ...connectionArgs(server), ...bad]);
      expect(run.code, bad.join(' ')).toBe(2);
      expect(run.stderr, bad.join(' ')).toMatch(/^livekit-doctor: --(repeat|interval) /);
      expect(run.stdout).toBe('');
    }
    // Unusable settings stay unusable: --repeat stops after the first run, still exit 2.
    const repeated = await runCli(['check', '--url', 'nowhere', '--api-key', 'APIx', '--api-secret', 'y', '--repeat', '5', '--json']);
    expect(repeated.code).toBe(2);
    expect((JSON.parse(repeated.stdout) as RepeatJson).runs).toHaveLength(1);
  });

  it('--repeat 3 --interval 0.2: three runs, 100 % per check, ordered spreads, nothing left', async () => {
    const run = await runCli(['check', ...connectionArgs(server), '--repeat', '3', '--interval', '0.2', '--json'], { timeoutMs: 90_000 });
    expect(run.code, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as RepeatJson;
    expect(doc.schema).toBe('livekit-doctor/repeat@1');
    expect(doc.runs).toHaveLength(3);
    expect(doc.runs.every((r) => r.schema === 'livekit-doctor/report@1' && r.exitCode === 0)).toBe(true);
    const rooms = doc.runs.map((r) => r.checks.find((c) => c.id === 'probe.dispatched')!.evidence!.room);
    expect(new Set(rooms).size).toBe(3);
    expect(doc.summary).toMatchObject({ requestedRuns: 3, completedRuns: 3, passedRuns: 3, failedRuns: 0, interrupted: false, exitCode: 0 });
    expect(doc.summary.checks.map((c) => c.id)).toEqual(doc.runs[0]!.checks.map((c) => c.id));
    for (const c of doc.summary.checks) {
      expect(c.passRate, c.id).toBe(1);
      expect(c.runs, c.id).toBe(3);
      expectOrdered(c.durationMs, c.id);
    }
    const job = doc.summary.latencies.find((l) => l.id === 'probe.job-request')!;
    expect(job.spreadMs.samples).toBe(3);
    expectOrdered(job.spreadMs, 'job latency');
    expect(job.spreadMs.min).toBeGreaterThanOrEqual(150);
    expectOrdered(doc.summary.latencies.find((l) => l.id === 'probe.join')?.spreadMs, 'join latency');
    expect(run.stderr.match(/^run \d\/3: exit 0 /gm)).toHaveLength(3);
    await expectNothingLeft(server);
    expectNoSecrets(run.stdout + run.stderr, server, clean('repeat'));
  });

  it('--repeat 3 in the terminal: a table with the pass rates and the closing line', async () => {
    const run = await runCli(['check', ...connectionArgs(server), '--repeat', '3'], { timeoutMs: 90_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/│ probe\.job-received\s*│ 100 %\s*│ 3 pass\s*│/);
    expect(run.stdout).toContain('probe job request after dispatch');
    expect(run.stdout).toMatch(/^3 of 3 runs passed$/m);
  });

  it('--repeat 2 with a wrong secret: exit 1, pass rate 0 %, one JUnit suite per run', async () => {
    const dir = tempDir();
    const run = await runCli(['check', ...wrongSecret, '--repeat', '2', '--json', '--junit', join(dir, 'out.xml')]);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout) as RepeatJson;
    expect(doc.summary).toMatchObject({ completedRuns: 2, passedRuns: 0, failedRuns: 2, exitCode: 1 });
    const credentials = doc.summary.checks.find((c) => c.id === 'server.credentials')!;
    expect(credentials).toMatchObject({ passRate: 0, causes: { 'bad-signature': 2 } });
    expect(doc.summary.checks.find((c) => c.id === 'probe.joined')!.passRate).toBe(0);
    const { suites } = junitCases(join(dir, 'out.xml'));
    expect(suites.map((s) => s['@name'])).toEqual(['livekit-doctor run 1/2', 'livekit-doctor run 2/2']);
    expect(suites.map((s) => s['@failures'])).toEqual(['1', '1']);
    expectNoSecrets(run.stdout + run.stderr + readFileSync(join(dir, 'out.xml'), 'utf8'), server, clean('repeat-fail'));
  });

  it('--repeat: Ctrl-C during the pause between runs stops at once, prints the partial summary, exit 130', async () => {
    let signalledAt = 0;
    const run = await runCli(['check', ...connectionArgs(server), '--repeat', '5', '--interval', '30'], {
      timeoutMs: 30_000,
      onSpawn: (child, out) => {
        const poll = setInterval(() => {
          if (!/^run 1\/5: /m.test(out.stderr())) return;
          clearInterval(poll);
          signalledAt = performance.now();
          child.kill('SIGINT');
        }, 20);
        child.on('close', () => clearInterval(poll));
      },
    });
    const exitedAfterMs = performance.now() - signalledAt;
    expect(signalledAt).toBeGreaterThan(0);
    expect(run.code).toBe(130);
    // The pause is 30 s; stopping "at once" leaves only process exit and rtc-node disposal.
    expect(exitedAfterMs).toBeLessThan(3_000);
    expect(run.stdout).toMatch(/^1 of 1 runs passed; interrupted after run 1 of 5$/m);
    expect(run.stdout).toMatch(/│ cleanup\s*│ 100 %/);
    expect(run.stderr).not.toMatch(/^run 2\/5/m);
    await expectNothingLeft(server);
  });

  it('--repeat: Ctrl-C inside a run cleans up that run, prints the partial summary, exit 130', async () => {
    let sent = false;
    const run = await runCli(['check', ...connectionArgs(server), '--repeat', '3', '--probe-answer-delay', '3500', '--json'], {
      timeoutMs: 30_000,
      onSpawn: (child) => {
        const until = Date.now() + 10_000;
        const poll = async () => {
          while (Date.now() < until && !sent) {
            if ((await doctorLeftovers(server)).rooms.length > 0) {
              await new Promise((r) => setTimeout(r, 500));
              sent = true;
              child.kill('SIGINT');
              return;
            }
            await new Promise((r) => setTimeout(r, 50));
          }
        };
        void poll();
      },
    });
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    const doc = JSON.parse(run.stdout) as RepeatJson;
    expect(doc.runs).toHaveLength(1);
    expect(doc.runs[0]!.exitCode).toBe(130);
    expect(doc.summary).toMatchObject({ interrupted: true, completedRuns: 0, exitCode: 130 });
    expect(run.durationMs).toBeLessThan(15_000);
    await expectNothingLeft(server);
  });

  for (const scenario of ['healthy', 'wrong secret'] as const) {
    it(`--bundle --verbose (${scenario}): every expected file, none holds a secret, a JWT or an Authorization value; the bundle command makes the same set`, async () => {
      const dir = tempDir();
      const connection = scenario === 'healthy' ? connectionArgs(server) : wrongSecret;
      const run = await runCli(['check', ...connection, '--bundle', join(dir, 'out.zip'), '--verbose', '--json'], { cwd: dir });
      expect(run.code).toBe(scenario === 'healthy' ? 0 : 1);
      expect(run.stderr).toContain('evidence bundle written to');
      const files = unzipSync(readFileSync(join(dir, 'out.zip')));
      const names = Object.keys(files).sort();
      expect(names).toEqual(['environment.json', 'protocol-log.jsonl', 'report.html', 'report.json', 'report.md', 'report.txt', 'settings.json', 'support-message.md']);
      for (const name of names) {
        const text = strFromU8(files[name]!);
        expect(text.length, name).toBeGreaterThan(10);
        expectNoSecrets(text, server, clean(name));
      }
      expect(JSON.parse(strFromU8(files['report.json']!)).exitCode).toBe(run.code);
      expect(JSON.parse(strFromU8(files['settings.json']!)).apiSecret.shown).toMatch(/^\(set\b.*\)$/);
      expectNoSecrets(run.stdout + run.stderr, server, clean('stdout+stderr'));

      writeFileSync(join(dir, 'report.json'), run.stdout);
      const rebuilt = await runCli(['bundle', 'report.json', '-o', 'x.zip', '--verbose'], { cwd: dir });
      expect(rebuilt.code, rebuilt.stderr).toBe(0);
      const again = unzipSync(readFileSync(join(dir, 'x.zip')));
      expect(Object.keys(again).sort()).toEqual(names);
      for (const name of names) expectNoSecrets(strFromU8(again[name]!), server, clean(`bundle command ${name}`));
      expectNoSecrets(rebuilt.stdout + rebuilt.stderr, server, clean('bundle command output'));
    });
  }
});

