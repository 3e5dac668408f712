/**
 * `npm run bench`, rows "m.": the monitor's own overhead against a real livekit-server.
 *  - CPU seconds and peak memory per run: `monitor --runs N` (the monitor and its run processes) next to `check`
 *     (one process per run); the aim is within 10 % of check. Each process measures itself (usage-preload.mjs).
 *  - memory after 50 runs against after 5 (the monitor's V8 heap right after a forced full GC, its RSS, and the
 *     run process's RSS): no growth beyond noise.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { LiveKitServer } from '../test/harness/server.js';
import { fmtSpread, spread, timedRun } from './measure.js';

const here = dirname(fileURLToPath(import.meta.url));
const cli = join(here, '..', 'bin', 'livekit-doctor.js');
const preload = pathToFileURL(join(here, 'usage-preload.mjs')).href;
const note = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the measured process and (for monitor) its run processes used, from usage-preload.mjs. */
interface Usage {
  /** CPU seconds of all the processes together. */
  cpuS: number;
  /** Peak RSS of the main process, bytes. */
  maxRssBytes: number;
  /** Peak RSS of the largest run process (monitor), bytes. */
  childMaxRssBytes: number;
  processes: number;
}

function connection(server: LiveKitServer): string[] {
  const { key, secret } = server.keys[0]!;
  return ['--url', server.url, '--api-key', key, '--api-secret', secret, '--no-env-file'];
}

async function measured(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Usage> {
  const file = join(mkdtempSync(join(tmpdir(), 'lkd-bench-usage-')), 'usage.jsonl');
  const run = await timedRun(process.execPath, ['--import', preload, cli, ...args], { env: { ...env, LKD_BENCH_USAGE_FILE: file }, timeoutMs });
  if (run.code !== 0) throw new Error(`livekit-doctor ${args[0]} exited ${run.code}: ${run.stderr.slice(-2000)}`);
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { child: boolean; cpuS: number; maxRssBytes: number });
  const main = lines.find((l) => !l.child);
  if (!main) throw new Error(`no usage line of the main process in ${file}`);
  return {
    cpuS: lines.reduce((sum, l) => sum + l.cpuS, 0),
    maxRssBytes: main.maxRssBytes,
    childMaxRssBytes: Math.max(0, ...lines.filter((l) => l.child).map((l) => l.maxRssBytes)),
    processes: lines.length,
  };
}

const metric = (text: string, name: string) => Number(text.split('\n').find((l) => l.startsWith(`${name} `))?.split(' ')[1] ?? NaN);

/** One monitor of 51 runs (still serving after the 50th); after its 5th and its 50th run: a full GC, then the heap and RSS from its /metrics. */
interface MemoryReading {
  heap: number;
  rss: number;
  runProcessRss: number;
}

async function memoryGrowth(server: LiveKitServer, env: NodeJS.ProcessEnv): Promise<{ at5: MemoryReading; at50: MemoryReading }> {
  const args = ['--expose-gc', '--import', preload, cli, 'monitor', ...connection(server), '--listen', '127.0.0.1:0', '--interval', '0.5s', '--runs', '51', '--json'];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const readings = new Map<number, MemoryReading>();
  const killer = setTimeout(() => child.kill('SIGKILL'), 150_000);
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  child.stderr.on('data', (d) => (stderr += d));
  const pending: Promise<void>[] = [];
  child.stdout.on('data', (d) => {
    stdout += d;
    const runs = stdout.split('\n').filter(Boolean).length;
    for (const at of [5, 50]) {
      if (runs >= at && !readings.has(at)) {
        readings.set(at, { heap: NaN, rss: NaN, runProcessRss: NaN });
        pending.push(
          (async () => {
            child.kill('SIGUSR2');
            await sleep(50);
            const url = /metrics on (http:\/\/[^ ]+)\/metrics/.exec(stderr)?.[1];
            const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
            readings.set(at, { heap: metric(text, 'nodejs_heap_size_used_bytes'), rss: metric(text, 'process_resident_memory_bytes'), runProcessRss: metric(text, 'livekit_doctor_run_process_resident_memory_bytes') });
          })(),
        );
      }
    }
  });
  const code = await exited;
  clearTimeout(killer);
  await Promise.allSettled(pending);
  if (code !== 0) throw new Error(`monitor exited ${code}: ${stderr.slice(-2000)}`);
  const at5 = readings.get(5);
  const at50 = readings.get(50);
  if (!at5 || !at50 || [at5.heap, at50.heap].some(Number.isNaN)) throw new Error('no memory reading after run 5 or run 50 (the monitor ended before it could be read)');
  return { at5, at50 };
}

export async function monitorOverheadRows(server: LiveKitServer, env: NodeJS.ProcessEnv, runs: number): Promise<[string, string, string][]> {
  const rounds = Math.min(2, runs);
  note(`m. monitor overhead: check ×${runs}, monitor --runs 5 and --runs 15 ×${rounds}, monitor --runs 20 --runs-per-process 20 ×1…`);
  const check: Usage[] = [];
  for (let i = 0; i < runs; i++) check.push(await measured(['check', ...connection(server), '--json'], env, 60_000));
  const monitor = (n: number, extra: string[] = []) => ['monitor', ...connection(server), '--listen', '127.0.0.1:0', '--interval', '0.2s', '--runs', String(n), ...extra];
  const m5: Usage[] = [];
  const m15: Usage[] = [];
  for (let i = 0; i < rounds; i++) {
    m5.push(await measured(monitor(5), env, 120_000));
    m15.push(await measured(monitor(15), env, 180_000));
  }
  const shared = await measured(monitor(20, ['--runs-per-process', '20']), env, 120_000);
  note('m. monitor memory after 5 and after 50 runs…');
  const mem = await memoryGrowth(server, env);

  const MB = 2 ** 20;
  const checkCpu = spread(check.map((u) => u.cpuS * 1000));
  const checkRss = spread(check.map((u) => u.maxRssBytes / MB));
  const perRun = spread(m15.map((u) => (u.cpuS * 1000) / 15));
  // Runs 6-15 only: without the monitor's own start and the run process started ahead for a run that never comes.
  const marginal = spread(m15.map((u, i) => ((u.cpuS - m5[i]!.cpuS) * 1000) / 10));
  const runRss = spread(m15.map((u) => u.childMaxRssBytes / MB));
  const mainRss = spread(m15.map((u) => u.maxRssBytes / MB));
  const mb = (v: number) => `${v.toFixed(1)} MB`;
  const cpu = (v: number) => `${v.toFixed(0)} ms`;
  const pct = (a: number, b: number) => `${a <= b ? '' : '+'}${(((a - b) / b) * 100).toFixed(1)} %`;
  const within = (a: number, b: number) => (a <= b * 1.1 ? `ok (${pct(a, b)} vs check; aim within 10 %)` : `OVER: ${pct(a, b)} vs check (aim within 10 %)`);
  const grew = (label: string, a: number, b: number, noise: number) => {
    const d = (b - a) / MB;
    return d <= noise ? `ok (${d >= 0 ? '+' : ''}${d.toFixed(1)} MB; aim: noise, ≤ ${noise} MB)` : `${label} GREW by ${d.toFixed(1)} MB`;
  };
  return [
    ['m. check: CPU per run (one process each)', fmtSpread(checkCpu, cpu), ''],
    ['m. check: peak RSS', fmtSpread(checkRss, mb), ''],
    ['m. monitor: CPU per run, steady (runs 6-15)', fmtSpread(marginal, cpu), within(marginal.median, checkCpu.median)],
    ['m. monitor: CPU per run, all in (15 runs)', fmtSpread(perRun, cpu), 'with the monitor\'s start and one spare run process'],
    ['m. monitor: peak RSS of a run process', fmtSpread(runRss, mb), within(runRss.median, checkRss.median)],
    ['m. monitor: peak RSS of the monitor process', fmtSpread(mainRss, mb), 'serves /metrics; each run lives in a run process'],
    ['m. --runs-per-process 20: CPU per run, peak RSS', `${cpu((shared.cpuS * 1000) / 20)}, ${mb(shared.childMaxRssBytes / MB)}`, `${pct((shared.cpuS * 1000) / 20, checkCpu.median)} CPU, ${pct(shared.childMaxRssBytes / MB, checkRss.median)} memory vs check`],
    ['m. monitor heap after run 5 → 50 (after GC)', `${mb(mem.at5.heap / MB)} → ${mb(mem.at50.heap / MB)}`, grew('heap', mem.at5.heap, mem.at50.heap, 2)],
    ['m. monitor RSS after run 5 → 50', `${mb(mem.at5.rss / MB)} → ${mb(mem.at50.rss / MB)}`, grew('RSS', mem.at5.rss, mem.at50.rss, 5)],
    ['m. run process RSS after run 5 → 50', `${mb(mem.at5.runProcessRss / MB)} → ${mb(mem.at50.runProcessRss / MB)}`, `a fresh process per run: compare with check's ${mb(checkRss.min)}–${mb(checkRss.max)}`],
  ];
}
