import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { LiveKitServer } from '../harness/server.js';
import { connectionArgs, runCli } from '../harness/cli.js';
import { startAgent } from '../harness/agents.js';
import { useLiveServer } from '../harness/live-server.js';
import { expectNoSecrets, expectNothingLeft, JWT_LIKE, type SecretScan } from '../harness/scenarios.js';

interface Summary { count: number; min: number; p50: number; p90: number; p95: number; p99: number; max: number }
interface BenchJson {
  schema: string;
  target: { kind: string; agentName: string; workers: number; workerIds: string[] };
  method: { clockStart: string; selectionWindowMs: number };
  steps: {
    label: string; offered: number; completed: number; throughputPerS: number;
    stages: Record<string, Summary>; jobAboveFloor?: Summary;
    lost: { total: number; byClass: Record<string, number> };
    samples: { room: string; sentAtMs: number; jobRequestAtMs?: number; joinedAtMs?: number; lost?: string; participantIdentity?: string }[];
  }[];
  slo?: { ok: boolean; verdicts: { term: string; ok: boolean; message: string }[] };
  interrupted: boolean;
  cleanup: { deleted: number; failed: unknown[] };
  failures: string[];
  exitCode: number;
}

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = join(repoRoot, 'test-artifacts');
const chromiumPath = '/usr/bin/chromium';

/** Besides the server's secrets: no JWT. */
const noJwt: SecretScan = { patterns: [JWT_LIKE], canary: false };

describe('bench against a real livekit-server', () => {
  let server: LiveKitServer;
  const workDir = mkdtempSync(join(tmpdir(), 'lkd-bench-'));
  useLiveServer({ onStart: (s) => (server = s) });

  it('20 dispatches at C=5 to the probe: all joined, ordered percentiles, none under 150 ms, HTML drawn, nothing left', async () => {
    const html = join(workDir, 'bench.html');
    const run = await runCli(['bench', ...connectionArgs(server), '--dispatches', '20', '--concurrency', '5', '--json', '--html', html]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as BenchJson;
    expect(report.schema).toBe('livekit-doctor/bench@1');
    expect(report.method.clockStart).toBe('right before CreateDispatch is sent');
    expect(report.target).toMatchObject({ kind: 'probe', workers: 1 });
    expect(report.target.agentName).toMatch(/^livekit-doctor-probe-/);
    const [step] = report.steps;
    expect(step).toBeDefined();
    expect(step!).toMatchObject({ label: 'C=5', offered: 20, completed: 20, lost: { total: 0 } });
    for (const stage of ['api', 'job', 'assign', 'join']) {
      const s = step!.stages[stage]!;
      expect(s.count, stage).toBe(20);
      expect(s.min).toBeLessThanOrEqual(s.p50);
      expect(s.p50).toBeLessThanOrEqual(s.p90);
      expect(s.p90).toBeLessThanOrEqual(s.p95);
      expect(s.p95).toBeLessThanOrEqual(s.p99);
      expect(s.p99).toBeLessThanOrEqual(s.max);
    }
    // v1.13.5 waits ~200 ms (its worker-selection window) before offering any job.
    expect(step!.stages.job!.min).toBeGreaterThanOrEqual(150);
    expect(step!.stages.job!.p50).toBeLessThan(step!.stages.join!.p50);
    expect(step!.stages.assign!.p50).toBeGreaterThanOrEqual(step!.stages.job!.p50);
    const jobs = step!.samples.map((s) => s.jobRequestAtMs! - s.sentAtMs);
    expect(Math.min(...jobs)).toBeGreaterThanOrEqual(150);
    expect(step!.throughputPerS).toBeGreaterThan(0);
    expect(report.cleanup).toEqual({ deleted: 20, failed: [] });
    expectNoSecrets([run.stdout, run.stderr, readFileSync(html, 'utf8')], server, noJwt);
    await expectNothingLeft(server);
    console.log(`bench C=5 x20: job p50 ${step!.stages.job!.p50} ms p90 ${step!.stages.job!.p90} ms p99 ${step!.stages.job!.p99} ms; join p50 ${step!.stages.join!.p50} ms`);

    await checkHtmlInChromium(html, 20);
  });

  it('terminal output: a table per step, a histogram, the floor and the published figure', async () => {
    const run = await runCli(['bench', ...connectionArgs(server), '--dispatches', '6', '--concurrency', '1,3']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Step C=1: 6 dispatches/);
    expect(run.stdout).toMatch(/Step C=3: 6 dispatches/);
    expect(run.stdout).toMatch(/job request at worker\s*│ 6\s*│ \d+ ms/);
    expect(run.stdout).toMatch(/job request above the 200 ms window/);
    expect(run.stdout).toMatch(/\d+–\d+ ms │█+ \d+/);
    expect(run.stdout).toMatch(/under 150 ms/);
    expect(run.stdout).toMatch(/Times start right before CreateDispatch is sent/);
    expect(run.stdout).toMatch(/Cleanup: 12 room\(s\) deleted/);
    expectNoSecrets(run, server, noJwt);
    await expectNothingLeft(server);
  });

  it('a probe answering after 3.5 s: its jobs are lost as "answer/assignment timed out", exit 1', async () => {
    const run = await runCli(['bench', ...connectionArgs(server), '--timeout', '6', '--dispatches', '3', '--concurrency', '3', '--probe-answer-delay', '3500', '--json']);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout) as BenchJson;
    expect(report.steps[0]!.lost).toEqual({ total: 3, byClass: { 'answer-timeout': 3 } });
    expect(report.steps[0]!.stages.job!.count).toBe(3);
    expect(report.steps[0]!.stages.assign).toBeUndefined();
    expect(report.failures.join('\n')).toMatch(/offered, but the answer\/assignment timed out/);
    await expectNothingLeft(server);
  });

  it('a name no worker has: no agent joined, exit 1 with the cause', async () => {
    const run = await runCli(['bench', ...connectionArgs(server), '--timeout', '3', '--agent', 'no-such-agent-xyz', '--dispatches', '2', '--concurrency', '2']);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/2 of 2 lost: 2 no agent joined \(never offered/);
    expect(run.stdout).toMatch(/no worker is registered under "no-such-agent-xyz"/);
    expect(run.stderr).toMatch(/starts a real session of your agent/);
    expectNoSecrets(run, server, noJwt);
    await expectNothingLeft(server);
  });

  it('--slo: met → exit 0; violated → exit 1 naming the term; bad syntax → exit 2', async () => {
    const met = await runCli(['bench', ...connectionArgs(server), '--dispatches', '4', '--concurrency', '2', '--slo', 'job.p95<5s,lost=0']);
    expect(met.code, met.stderr).toBe(0);
    expect(met.stdout).toMatch(/SLO job\.p95<5s,lost=0: met/);
    const violated = await runCli(['bench', ...connectionArgs(server), '--dispatches', '4', '--concurrency', '2', '--slo', 'lost=0,job.p50<150ms', '--json']);
    expect(violated.code, violated.stderr).toBe(1);
    const report = JSON.parse(violated.stdout) as BenchJson;
    expect(report.slo!.ok).toBe(false);
    expect(report.slo!.verdicts.filter((v) => !v.ok).map((v) => v.term)).toEqual(['job.p50<150ms']);
    expect(report.failures).toEqual([expect.stringMatching(/^SLO C=2: job\.p50<150ms violated: job\.p50 = \d+ ms, not < 150 ms$/)]);
    const bad = await runCli(['bench', ...connectionArgs(server), '--slo', 'job.p95<<1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--slo: "job\.p95<<1" is not <metric><op><value>/);
    await expectNothingLeft(server);
  });

  it('refuses a large run against a non-local server without --yes when there is no terminal', async () => {
    // .invalid never resolves: the refusal must come before any network call.
    const run = await runCli(['bench', '--url', 'wss://bench-target.invalid', '--api-key', 'APIx', '--api-secret', server.keys[0]!.secret, '--dispatches', '100', '--concurrency', '5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/not on this machine: refusing without --yes/);
    expectNoSecrets(run, server, noJwt);
  });

  it('SIGINT mid-run: partial results printed, exit 130, nothing left', async () => {
    let sent = false;
    const run = await runCli(['bench', ...connectionArgs(server), '--dispatches', '400', '--concurrency', '2'], {
      timeoutMs: 60_000,
      onSpawn: (child, out) => {
        const poll = setInterval(() => {
          if (!sent && /dispatches to/.test(out.stderr())) {
            sent = true;
            setTimeout(() => child.kill('SIGINT'), 2500);
          }
          if (sent) clearInterval(poll);
        }, 50);
        child.on('close', () => clearInterval(poll));
      },
    });
    expect(sent).toBe(true);
    expect(run.code, run.stderr).toBe(130);
    expect(run.stdout).toMatch(/Step C=2: \d+ dispatches/);
    expect(run.stdout).toMatch(/Interrupted: these are partial results/);
    expect(run.stdout).toMatch(/Cleanup: \d+ room\(s\) deleted/);
    expect(run.stdout.indexOf('Interrupted')).toBeLessThan(run.stdout.indexOf('Cleanup:'));
    const offered = Number(/Step C=2: (\d+) dispatches/.exec(run.stdout)![1]);
    expect(offered).toBeGreaterThan(2);
    expect(offered).toBeLessThan(400);
    await expectNothingLeft(server);
  });

  // Sequential: at C=2 right after registration the fixture (one idle process) answered one of two
  // simultaneous requests "not available" and the server dropped that job (bench reported it as lost).
  it('--agent with a real Python agent: dispatch → agent participant joined', async () => {
    const { key, secret } = server.keys[0]!;
    const agent = await startAgent({ framework: 'python', url: server.url, apiKey: key, apiSecret: secret, agentName: 'bench-tone-agent', behaviour: 'tone' });
    try {
      const run = await runCli(['bench', ...connectionArgs(server), '--agent', 'bench-tone-agent', '--dispatches', '4', '--concurrency', '1', '--timeout', '15', '--json'], { timeoutMs: 50_000 });
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout) as BenchJson;
      expect(report.target).toMatchObject({ kind: 'agent', agentName: 'bench-tone-agent' });
      const [step] = report.steps;
      expect(step!).toMatchObject({ offered: 4, completed: 4, lost: { total: 0 } });
      expect(step!.stages.join!.count).toBe(4);
      expect(step!.stages.job).toBeUndefined();
      // The agent goes through the server's ~200 ms selection window and its own join.
      expect(step!.stages.join!.min).toBeGreaterThan(150);
      expect(step!.samples.every((s) => s.participantIdentity)).toBe(true);
      expectNoSecrets(run, server, noJwt);
      console.log(`bench --agent (python tone) x4 C=1: join p50 ${step!.stages.join!.p50} ms, max ${step!.stages.join!.max} ms`);
    } finally {
      await agent.stop();
    }
    await expectNothingLeft(server);
  }, 90_000);
});

async function checkHtmlInChromium(file: string, points: number): Promise<void> {
  if (!existsSync(chromiumPath)) execFileSync('bash', [join(repoRoot, 'scripts', 'install-chromium.sh')], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    timeout: 30_000,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.setDefaultTimeout(10_000);
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.route('**/*', (route) => (route.request().url().startsWith('file://') ? route.continue() : route.abort()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    const bins = await page.locator('svg.distribution rect.bin').evaluateAll((nodes) => nodes.map((n) => ({ count: Number(n.getAttribute('data-count')), height: n.getBoundingClientRect().height })));
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(points);
    const tallest = bins.reduce((a, b) => (b.count > a.count ? b : a));
    expect(tallest.height).toBeGreaterThan(50);
    const dots = await page.locator('svg.timeseries circle.point').evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect()).filter((r) => r.width > 0).length);
    expect(dots).toBe(points);
    expect(await page.locator('svg.distribution line.floor').count()).toBe(1);
    expect(await page.locator('svg.timeseries line.floor').count()).toBe(1);
    mkdirSync(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'bench.png'), fullPage: true });
  } finally {
    await browser.close();
  }
}
