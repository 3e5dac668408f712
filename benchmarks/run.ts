/**
 * `npm run bench`: the doctor's own performance and accuracy against a real livekit-server started by
 * the test harness on loopback. Prints a table (nothing is written to the repo):
 *  a. `livekit-doctor --help` start time next to `node -e 0` (the foundation issue aims ≤ 1.6×);
 *  b. `livekit-doctor check` wall time (the issue says < 3 s), time waiting on the server apart;
 *  c. accuracy: `bench` next to the minimal raw worker dispatched the same way, ratio of job-request p50s (aim ±5 %);
 *  d. accuracy: `talk`'s reply latency next to the conversational fixture's own timestamps of each turn.
 * Every figure is the median of several runs (min–max shown). BENCH_RUNS sets the run count (default 5).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLiveKitServer, type LiveKitServer } from '../test/harness/server.js';
import { miniWorkerJobLatencies } from './accuracy.js';
import { checkBreakdown } from './check-time.js';
import { fmtMs, fmtSpread, spread, timedRun } from './measure.js';
import { monitorOverheadRows } from './monitor.js';
import { talkAccuracyRows } from './talk-accuracy.js';
import { verdictRows } from './verdict.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(repoRoot, 'bin', 'livekit-doctor.js');
const runs = Math.min(20, Math.max(1, Number(process.env.BENCH_RUNS ?? 5) || 5));
const accuracyRounds = Math.min(5, Math.max(1, Math.ceil(runs / 2)));
const dispatchesPerRound = 20;
/** BENCH_ONLY=a,e runs only those sections (letters as in the table; m is monitor overhead, f the cluster table). */
const only = new Set((process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean));
const wanted = (section: string) => only.size === 0 || only.has(section);

function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('LIVEKIT_') && k !== 'NODE_OPTIONS') env[k] = v;
  return { ...env, HOME: mkdtempSync(join(tmpdir(), 'lkd-bench-home-')), NO_COLOR: '1' };
}

function connection(server: LiveKitServer): string[] {
  const { key, secret } = server.keys[0]!;
  return ['--url', server.url, '--api-key', key, '--api-secret', secret, '--no-env-file'];
}

const note = (line: string) => process.stderr.write(`${line}\n`);

async function helpStartup(env: NodeJS.ProcessEnv) {
  const node: number[] = [];
  const help: number[] = [];
  // One warm-up each (file-system cache), then alternate so that machine noise hits both alike.
  await timedRun(process.execPath, ['-e', '0'], { env });
  await timedRun(process.execPath, [cli, '--help'], { env });
  for (let i = 0; i < runs * 2; i++) {
    node.push((await timedRun(process.execPath, ['-e', '0'], { env })).wallMs);
    const run = await timedRun(process.execPath, [cli, '--help'], { env });
    if (run.code !== 0) throw new Error(`livekit-doctor --help exited ${run.code}: ${run.stderr}`);
    help.push(run.wallMs);
  }
  const ratios = node.map((n, i) => help[i]! / n);
  return { node: spread(node), help: spread(help), ratio: spread(ratios) };
}

async function checkWallTime(server: LiveKitServer, env: NodeJS.ProcessEnv) {
  const wall: number[] = [];
  const waits: number[] = [];
  const own: number[] = [];
  let parts: Record<string, number[]> = {};
  for (let i = 0; i < runs; i++) {
    const run = await timedRun(process.execPath, [cli, ...connection(server), 'check', '--json'], { env, timeoutMs: 60_000 });
    const breakdown = checkBreakdown(run.stdout);
    wall.push(run.wallMs);
    waits.push(breakdown.serverWaitMs);
    own.push(run.wallMs - breakdown.serverWaitMs);
    for (const [k, v] of Object.entries(breakdown.parts)) (parts[k] ??= []).push(v);
  }
  return { wall: spread(wall), serverWait: spread(waits), own: spread(own), parts: Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, spread(v)])) };
}

async function accuracy(server: LiveKitServer, env: NodeJS.ProcessEnv) {
  const doctor: number[] = [];
  const mini: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < accuracyRounds; round++) {
    const run = await timedRun(process.execPath, [cli, ...connection(server), 'bench', '--dispatches', String(dispatchesPerRound), '--concurrency', '1', '--json'], { env, timeoutMs: 120_000 });
    if (run.code !== 0) throw new Error(`bench exited ${run.code}: ${run.stderr.slice(-2000)}`);
    const report = JSON.parse(run.stdout) as { steps: { stages: { job?: { p50: number } } }[] };
    const doctorP50 = report.steps[0]!.stages.job!.p50;
    const reference = await miniWorkerJobLatencies(server, dispatchesPerRound);
    if (reference.lost) throw new Error(`the raw worker lost ${reference.lost} job(s)`);
    doctor.push(doctorP50);
    mini.push(reference.p50);
    ratios.push(doctorP50 / reference.p50);
    note(`  round ${round + 1}: bench p50 ${doctorP50.toFixed(1)} ms, raw worker p50 ${reference.p50.toFixed(1)} ms`);
  }
  return { doctor: spread(doctor), mini: spread(mini), ratio: spread(ratios) };
}

async function main(): Promise<number> {
  const started = performance.now();
  const env = cliEnv();
  note(`starting livekit-server (test harness, loopback)…`);
  const server = await startLiveKitServer();
  try {
    const rows: [string, string, string][] = [];
    const x = (v: number) => `${v.toFixed(2)}×`;
    const pct = (v: number) => `${((v - 1) * 100).toFixed(1)} %`;
    if (wanted('a')) {
      note(`a. --help start time (${runs * 2} runs each)…`);
      const help = await helpStartup(env);
      rows.push(
        ['a. node -e 0', fmtSpread(help.node), ''],
        ['a. livekit-doctor --help', fmtSpread(help.help), ''],
        ['a. ratio --help / node', fmtSpread(help.ratio, x), help.ratio.median <= 1.5 ? 'ok (aim ≤ 1.5×)' : 'OVER the 1.5× aim'],
      );
    }
    if (wanted('b')) {
      note(`b. check wall time (${runs} runs)…`);
      const check = await checkWallTime(server, env);
      rows.push(
        ['b. check wall time', fmtSpread(check.wall), check.wall.median < 3000 ? 'ok (aim < 3 s)' : 'OVER the 3 s aim'],
        ['b.   waiting on the server', fmtSpread(check.serverWait), ''],
        ...Object.entries(check.parts).map(([k, v]) => [`b.     ${k}`, fmtSpread(v), ''] as [string, string, string]),
        ['b.   the doctor\'s own time', fmtSpread(check.own), 'process start, module loading, SDK setup, rendering'],
      );
    }
    if (wanted('c')) {
      note(`c. accuracy: bench vs raw worker (${accuracyRounds} rounds of ${dispatchesPerRound} sequential dispatches each)…`);
      const acc = await accuracy(server, env);
      rows.push(
        ['c. bench job-request p50', fmtSpread(acc.doctor), ''],
        ['c. raw worker job-request p50', fmtSpread(acc.mini), ''],
        ['c. ratio bench / raw worker', fmtSpread(acc.ratio, x), Math.abs(acc.ratio.median - 1) <= 0.05 ? `ok (${pct(acc.ratio.median)}; aim within 5 %)` : `OFF by ${pct(acc.ratio.median)} (aim within 5 %)`],
      );
    }
    if (wanted('m')) rows.push(...(await monitorOverheadRows(server, env, runs)));
    if (wanted('d')) rows.push(...(await talkAccuracyRows(server, env, cli, connection(server))));
    if (wanted('e')) rows.push(...(await verdictRows(server, env, runs)));
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    process.stdout.write(`\nlivekit-doctor npm run bench: median (min–max, n runs), livekit-server ${server.url}\n\n`);
    for (const [a, b, c] of rows) process.stdout.write(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}\n`);
    process.stdout.write(`\nTotal ${fmtMs(performance.now() - started)}. "Waiting on the server" sums the check's protocol waits and API round trips from its\n` +
      `report (timeline and evidence); server.credentials is not in it (its duration includes loading livekit-server-sdk).\n`);
    if (wanted('f')) await (await import('./cluster.js')).printClusterBench({ cli, env, runs });
    return 0;
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`npm run bench failed: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
