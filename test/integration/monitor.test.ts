/**
 * `livekit-doctor monitor` as a process against real livekit-servers, scraped by a real Prometheus that loads
 * the shipped alert rules; promtool checks and tests those rules.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { connectionArgs, runCli, type CliRun } from '../harness/cli.js';
import { startLiveServer, useLiveServer } from '../harness/live-server.js';
import { promtoolBin, startPrometheus, type PrometheusServer } from '../harness/prometheus.js';
import { expectNoSecrets, expectNothingLeft, JWT_LIKE } from '../harness/scenarios.js';
import type { LiveKitServer } from '../harness/server.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rulesFile = join(repoRoot, 'monitoring', 'livekit-doctor.rules.yml');
const rulesTestFile = join(repoRoot, 'monitoring', 'livekit-doctor.rules.test.yml');
const workDir = mkdtempSync(join(tmpdir(), 'lkd-monitor-'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RunLine {
  schema: string;
  error?: string;
  target: string;
  run: number;
  result: string;
  exitCode: number | null;
  stagesMs: Record<string, number>;
  checks: { id: string; status: string }[];
}

interface Monitor {
  child: ChildProcess;
  /** http://127.0.0.1:<port> of its /metrics, once it listens. */
  url: string;
  done: Promise<CliRun>;
  stdout(): string;
  stderr(): string;
  lines(): RunLine[];
}

/** Starts `monitor` as a process on a free port (--listen 127.0.0.1:0) and waits until it serves. */
async function startMonitor(args: string[], env: Record<string, string> = {}, timeoutMs = 150_000): Promise<Monitor> {
  let child: ChildProcess | undefined;
  let out: { stdout: () => string; stderr: () => string } | undefined;
  const done = runCli(['monitor', '--listen', '127.0.0.1:0', '--json', ...args], { env, timeoutMs, onSpawn: (c, o) => ((child = c), (out = o)) });
  for (let i = 0; i < 300; i++) {
    const m = out && /metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(out.stderr());
    if (m) {
      const o = out!;
      return {
        child: child!,
        url: m[1]!,
        done,
        stdout: o.stdout,
        stderr: o.stderr,
        lines: () => o.stdout().split('\n').filter(Boolean).map((l) => JSON.parse(l) as RunLine),
      };
    }
    const settled = await Promise.race([done.then((r) => r), sleep(100).then(() => undefined)]);
    if (settled) throw new Error(`monitor exited ${settled.code} before serving: ${settled.stderr.slice(-2000)}`);
  }
  child?.kill('SIGKILL');
  throw new Error(`monitor did not serve within 30 s: ${out?.stderr().slice(-2000)}`);
}

async function get(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, text: await res.text() };
}

/** The value of one sample line of a /metrics page. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Sample lines (series) of a /metrics page. */
const seriesOf = (text: string) => text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.slice(0, l.lastIndexOf(' ')));

/** Polls the monitor's page until `test` holds (every 100 ms, at most timeoutMs). */
async function waitForPage(url: string, what: string, test: (text: string) => boolean, timeoutMs = 30_000): Promise<string> {
  let text = '';
  for (let i = 0; i < timeoutMs / 100; i++) {
    text = (await get(`${url}/metrics`)).text;
    if (test(text)) return text;
    await sleep(100);
  }
  throw new Error(`${what}: not within ${timeoutMs} ms; last page:\n${text.slice(0, 4000)}`);
}

/** The pids of a process's children (from /proc). */
function childPids(parent: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        // comm may hold spaces: the ppid is the second field after the closing parenthesis.
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent ? [Number(d)] : [];
      } catch {
        return [];
      }
    });
}

const value = async (prom: PrometheusServer, promql: string): Promise<number> => Number((await prom.waitForVector(promql, 30_000))[0]!.value[1]);

describe('monitor against real livekit-servers', () => {
  let server: LiveKitServer;
  useLiveServer({ onStart: (s) => (server = s) });
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => {});
  });

  it('two targets scraped by Prometheus: series with sane values, the stopped one goes failing and fires the alert, the other keeps passing', async () => {
    const other = await startLiveServer();
    cleanups.push(() => other.stop());
    const targets = join(workDir, 'targets.yaml');
    // The secrets stay in the environment; the file names them.
    writeFileSync(
      targets,
      [
        'targets:',
        '  - name: a',
        `    url: ${server.url}`,
        '    api_key: ${LKD_KEY_A}',
        '    api_secret: ${LKD_SECRET_A}',
        '  - name: b',
        `    url: ${other.url}`,
        '    api_key: ${LKD_KEY_B}',
        '    api_secret: ${LKD_SECRET_B}',
        '    interval: 300ms',
        '',
      ].join('\n'),
    );
    const env = { LKD_KEY_A: server.keys[0]!.key, LKD_SECRET_A: server.keys[0]!.secret, LKD_KEY_B: other.keys[0]!.key, LKD_SECRET_B: other.keys[0]!.secret };
    const monitor = await startMonitor(['--targets', targets, '--interval', '0.3s', '--wait', '3', '--runs', '400', '--runs-per-process', '10'], env);
    cleanups.push(async () => void monitor.child.kill('SIGKILL'));
    const prom = await startPrometheus({ scrapeTargets: [monitor.url.replace('http://', '')], scrapeIntervalMs: 500, ruleFiles: [rulesFile] });
    cleanups.push(() => prom.stop());

    // Status 1 for the passing checks of both targets, as Prometheus scraped them.
    for (const target of ['a', 'b']) {
      for (const check of ['server.reachable', 'probe.registered', 'probe.dispatched', 'probe.job-received', 'probe.job-assigned', 'probe.joined', 'cleanup']) {
        expect(await value(prom, `livekit_doctor_check_status{target="${target}",check="${check}"} == 1`), `${target} ${check}`).toBe(1);
      }
    }
    // The job-request histogram grows, and its values sit on livekit-server's ~200 ms selection window.
    const count = `livekit_doctor_stage_duration_seconds_count{target="a",stage="job_request"}`;
    const first = await value(prom, `${count} > 0`);
    const grown = await value(prom, `${count} > ${first}`);
    expect(grown).toBeGreaterThan(first);
    const mean = await value(prom, `livekit_doctor_stage_duration_seconds_sum{target="a",stage="job_request"} / ${count}`);
    expect(mean).toBeGreaterThan(0.15);
    expect(mean).toBeLessThan(3);
    const p95 = await value(prom, `histogram_quantile(0.95, sum by (le) (livekit_doctor_stage_duration_seconds_bucket{target="a",stage="job_request"}))`);
    expect(p95).toBeGreaterThan(0.15);
    for (const stage of ['dispatch_api', 'assignment', 'joined']) expect(await value(prom, `livekit_doctor_stage_duration_seconds_count{target="a",stage="${stage}"} > 0`), stage).toBeGreaterThan(0);
    expect(await value(prom, `livekit_doctor_runs_total{target="a",result="pass"} > 0`)).toBeGreaterThan(0);
    expect(await value(prom, 'time() - livekit_doctor_last_success_timestamp_seconds{target="a"}')).toBeLessThan(60);
    expect(await value(prom, 'livekit_doctor_build_info{version="0.1.0"}')).toBe(1);
    expect(await value(prom, 'livekit_doctor_run_duration_seconds_count{target="b"} > 0')).toBeGreaterThan(0);

    // Target b's server goes away mid-loop.
    await other.stop();
    expect(await value(prom, 'livekit_doctor_check_status{target="b",check="server.reachable"} == 0')).toBe(0);
    expect(await value(prom, 'livekit_doctor_check_status{target="b",check="probe.job-received"} == 0')).toBe(0);
    expect(await value(prom, 'livekit_doctor_check_consecutive_failures{target="b",check="probe.job-received"} >= 3')).toBeGreaterThanOrEqual(3);
    // The shipped rule fires on the real series, for b only.
    const alerts = await prom.waitForVector('ALERTS{alertname="LiveKitDispatchFailing",alertstate="firing"}', 30_000);
    expect(alerts.map((a) => a.metric.target)).toEqual(['b']);
    expect(await value(prom, 'livekit_doctor_runs_total{target="b",result="fail"} > 0')).toBeGreaterThan(0);
    // Meanwhile a keeps passing: more passing runs after b failed, and its checks still at 1.
    const passesAtFailure = await value(prom, 'livekit_doctor_runs_total{target="a",result="pass"}');
    expect(await value(prom, `livekit_doctor_runs_total{target="a",result="pass"} > ${passesAtFailure + 2}`)).toBeGreaterThan(passesAtFailure + 2);
    expect(await value(prom, 'livekit_doctor_check_status{target="a",check="probe.joined"}')).toBe(1);
    expect(await value(prom, 'livekit_doctor_consecutive_failed_runs{target="a"}')).toBe(0);

    // The page itself (and everything the process wrote) never holds a secret; labels are ids only.
    const page = (await get(`${monitor.url}/metrics`)).text;
    expectNoSecrets([page, monitor.stdout(), monitor.stderr()], server, other, { patterns: [JWT_LIKE] });
    for (const s of seriesOf(page)) expect(s, s).not.toMatch(/livekit-doctor-[0-9a-f]{6,}|AJ_|AD_|RM_|ws:\/\//);
    expect((await get(`${monitor.url}/healthz`)).status).toBe(200);
    expect((await get(`${monitor.url}/readyz`)).status).toBe(200);

    monitor.child.kill('SIGTERM');
    const run = await monitor.done;
    expect(run.code, run.stderr.slice(-2000)).toBe(143);
    const lines = monitor.lines();
    expect(new Set(lines.map((l) => l.schema))).toEqual(new Set(['livekit-doctor/monitor-run@1']));
    expect(lines.some((l) => l.target === 'a' && l.result === 'pass' && l.stagesMs.job_request! > 150)).toBe(true);
    expect(lines.some((l) => l.target === 'b' && l.result === 'fail')).toBe(true);
    // Runs of one target are numbered 1, 2, 3, … without a gap or a repeat: never two at once.
    for (const t of ['a', 'b']) {
      const runs = lines.filter((l) => l.target === t).map((l) => l.run);
      expect(runs).toEqual(runs.map((_, i) => i + 1));
    }
    await expectNothingLeft(server);
  }, 180_000);

  it('the number of series does not grow across 20 runs (in 5 run processes); --runs ends the loop with exit 0', async () => {
    const monitor = await startMonitor([...connectionArgs(server), '--no-env-file', '--interval', '0.2s', '--runs', '25', '--runs-per-process', '5', '--target-name', 'solo']);
    cleanups.push(async () => void monitor.child.kill('SIGKILL'));
    const passes = (t: string) => sample(t, 'livekit_doctor_runs_total{target="solo",result="pass"}') ?? 0;
    const early = await waitForPage(monitor.url, '2 passing runs', (t) => passes(t) >= 2);
    const late = await waitForPage(monitor.url, '21 passing runs', (t) => passes(t) >= 21, 60_000);
    expect(passes(late) - passes(early)).toBeGreaterThanOrEqual(19);
    expect(seriesOf(late).filter((s) => !/^(process|nodejs)_/.test(s)).sort()).toEqual(seriesOf(early).filter((s) => !/^(process|nodejs)_/.test(s)).sort());
    expect(seriesOf(late).length).toBe(seriesOf(early).length);
    expect(sample(late, 'livekit_doctor_stage_duration_seconds_count{target="solo",stage="job_request"}')).toBeGreaterThanOrEqual(21);
    expectNoSecrets(late, server);
    const run = await monitor.done;
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(monitor.lines().map((l) => l.run)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expectNoSecrets(run, server, { patterns: [JWT_LIKE] });
    await expectNothingLeft(server);
  }, 120_000);

  it('SIGTERM during a run: the run cleans up its rooms, then exit 143', async () => {
    // An agent that never comes keeps the run waiting (with its rooms live) for up to 20 s.
    const monitor = await startMonitor([...connectionArgs(server), '--no-env-file', '--interval', '60s', '--agent', 'lkd-monitor-nobody', '--wait', '20']);
    cleanups.push(async () => void monitor.child.kill('SIGKILL'));
    const rooms = new RoomServiceClient(server.httpUrl, server.keys[0]!.key, server.keys[0]!.secret);
    let live: string[] = [];
    for (let i = 0; i < 150 && live.length < 2; i++) {
      live = (await rooms.listRooms()).map((r) => r.name).filter((n) => n.startsWith('livekit-doctor-'));
      if (live.length < 2) await sleep(100);
    }
    expect(live.length, 'the probe\u2019s and the agent\u2019s rooms exist while the run waits').toBe(2);
    expect(monitor.lines()).toEqual([]);
    monitor.child.kill('SIGTERM');
    const run = await monitor.done;
    expect(run.code, run.stderr.slice(-2000)).toBe(143);
    expect(run.stderr).toContain('SIGTERM');
    const [line] = monitor.lines();
    expect(line).toMatchObject({ run: 1, result: 'interrupted' });
    expect(line!.checks.find((c) => c.id === 'cleanup')?.status).toBe('pass');
    await expectNothingLeft(server);
  }, 60_000);

  it('a run process that dies fails only its own run: the loop goes on in a new one', async () => {
    const monitor = await startMonitor([...connectionArgs(server), '--no-env-file', '--interval', '0.5s', '--agent', 'lkd-monitor-nobody', '--wait', '20']);
    cleanups.push(async () => void monitor.child.kill('SIGKILL'));
    const rooms = new RoomServiceClient(server.httpUrl, server.keys[0]!.key, server.keys[0]!.secret);
    const doctorRooms = async () => (await rooms.listRooms()).map((r) => r.name).filter((n) => n.startsWith('livekit-doctor-'));
    let first: string[] = [];
    for (let i = 0; i < 150 && first.length < 2; i++) {
      first = await doctorRooms();
      if (first.length < 2) await sleep(100);
    }
    expect(first).toHaveLength(2);
    const killed = childPids(monitor.child.pid!);
    expect(killed.length).toBeGreaterThanOrEqual(1);
    for (const pid of killed) process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100 && monitor.lines().length === 0; i++) await sleep(100);
    expect(monitor.lines()[0]).toMatchObject({ run: 1, result: 'error', error: expect.stringMatching(/the run process exited \(SIGKILL\) before the run ended/) });
    // Run 2, in a new process, gets as far as its rooms.
    let second: string[] = [];
    for (let i = 0; i < 150 && second.length < 2; i++) {
      second = (await doctorRooms()).filter((r) => !first.includes(r));
      if (second.length < 2) await sleep(100);
    }
    expect(second).toHaveLength(2);
    expect(childPids(monitor.child.pid!).some((pid) => killed.includes(pid))).toBe(false);
    monitor.child.kill('SIGTERM');
    const run = await monitor.done;
    expect(run.code, run.stderr.slice(-2000)).toBe(143);
    expect(monitor.lines()[1]).toMatchObject({ run: 2, result: 'interrupted' });
    // The killed run could not clean up; its rooms would close by themselves after 60 s empty.
    for (const r of first) await rooms.deleteRoom(r).catch(() => {});
    await expectNothingLeft(server);
  }, 90_000);

  it('SIGINT between runs exits 130 at once, without waiting out the interval', async () => {
    const monitor = await startMonitor([...connectionArgs(server), '--no-env-file', '--interval', '10m']);
    cleanups.push(async () => void monitor.child.kill('SIGKILL'));
    for (let i = 0; i < 300 && monitor.lines().length === 0; i++) await sleep(100);
    expect(monitor.lines()).toHaveLength(1);
    const sent = performance.now();
    monitor.child.kill('SIGINT');
    const run = await monitor.done;
    expect(run.code, `signal ${run.signal}; stdout ${run.stdout.slice(-500)}; stderr ${run.stderr.slice(-2000)}`).toBe(130);
    expect(performance.now() - sent).toBeLessThan(30_000);
    await expectNothingLeft(server);
  }, 60_000);
});

describe('monitor refuses bad input in one line (exit 2), before it runs or listens', () => {
  let busy: Server | undefined;
  afterAll(() => new Promise<void>((r) => (busy ? busy.close(() => r()) : r())));

  it('bad flags, a bad targets file, an address in use', async () => {
    const conn = ['--url', 'ws://127.0.0.1:9', '--api-key', 'APIabcdef123456', '--api-secret', 'SECRETLEAKCANARYmonitor-usage-0123456789'];
    const file = (name: string, text: string) => {
      const path = join(workDir, name);
      writeFileSync(path, text);
      return path;
    };
    busy = createServer();
    const busyPort = await new Promise<number>((r) => busy!.listen(0, '127.0.0.1', () => r((busy!.address() as { port: number }).port)));
    const cases: [string[], RegExp, Record<string, string>?][] = [
      [[...conn, '--interval', '5x'], /--interval "5x" is not an interval/],
      [[...conn, '--listen', '9464'], /--listen "9464" is not host:port/],
      [[...conn, '--runs', '0'], /--runs "0" is not a whole number/],
      [[...conn, '--runs-per-process', 'x'], /--runs-per-process "x" is not a whole number/],
      [[...conn, '--target-name', 'eu west'], /--target-name "eu west" must be 1-63/],
      [[...conn, '--server-log', '-'], /--server-log -: a monitor reads the log again in every run/],
      [[...conn, '--wait', 'x'], /--wait "x" is not a number of seconds/],
      [[...conn, '--only', 'nope.check'], /unknown check id nope\.check/],
      [['--url', 'ws://127.0.0.1:9', '--targets', file('t1.yaml', '[]')], /--targets .*t1\.yaml names each target's connection; leave out --url/],
      [['--targets', file('t2.yaml', 'targets:\n  - name: eu\n    url: ws://127.0.0.1:9\n    api_key: APIabcdef123456\n    api_secret: ${LKD_MISSING_SECRET}\n')], /target 1 api_secret references \$\{LKD_MISSING_SECRET\}, which is not set/],
      [['--targets', file('t3.yaml', 'targets:\n  - name: eu\n    url: 127.0.0.1:9\n    api_key: APIabcdef123456\n    api_secret: ${S}\n')], /target "eu": .*URL/i, { S: 'SECRETLEAKCANARYmonitor-usage-0123456789' }],
      [['--targets', join(workDir, 'missing.yaml')], /--targets .*missing\.yaml: no such file/],
      [[...conn, '--listen', `127.0.0.1:${busyPort}`], /--listen 127\.0\.0\.1:\d+: the address is in use/],
    ];
    for (const [args, message, env] of cases) {
      const run = await runCli(['monitor', ...args], { env, timeoutMs: 30_000 });
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(2);
      const lines = run.stderr.trim().split('\n').filter((l) => !l.includes('warning:'));
      expect(lines, args.join(' ')).toHaveLength(1);
      expect(lines[0], args.join(' ')).toMatch(message);
      expect(run.stdout).toBe('');
      expectNoSecrets(run, { secrets: ['SECRETLEAKCANARYmonitor-usage-0123456789'] });
    }
  }, 120_000);
});

describe('the shipped Prometheus rules', () => {
  it('promtool check rules accepts them', () => {
    const run = spawnSync(promtoolBin(), ['check', 'rules', rulesFile], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/SUCCESS: 6 rules found/);
  });

  it('promtool test rules: each alert fires on its synthetic series and stays quiet before', () => {
    const run = spawnSync(promtoolBin(), ['test', 'rules', rulesTestFile], { encoding: 'utf8', timeout: 30_000, cwd: dirname(rulesTestFile) });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('SUCCESS');
  });
});
