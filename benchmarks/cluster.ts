/**
 * `npm run bench`, the cluster part. A real redis-server and three livekit-server nodes joined by it
 * (test harness, loopback). Measures the wall time of `check --only cluster` with 2 and 3 --node addresses
 * (N probe workers, N² dispatches) against N × the wall time of the single-node probe path
 * (`check --only probe.job-received`: register, dispatch, job request). The matrix runs its cells side by side,
 * so it should stay well under N × the single run. Prints its own table.
 */
import { startRedis } from '../test/harness/redis.js';
import { startLiveKitServer, makeKeyPair, type LiveKitServer } from '../test/harness/server.js';
import { fmtMs, fmtSpread, spread, timedRun, type Spread } from './measure.js';

interface ClusterBenchOptions {
  cli: string;
  env: NodeJS.ProcessEnv;
  runs: number;
}

async function wallTimes(cli: string, env: NodeJS.ProcessEnv, runs: number, args: string[], expect: (report: { exitCode: number; checks: { id: string; status: string }[] }) => void): Promise<Spread> {
  const walls: number[] = [];
  // One warm-up (file-system cache, SDK load) that is not counted.
  for (let i = 0; i <= runs; i++) {
    const run = await timedRun(process.execPath, [cli, ...args, '--json'], { env, timeoutMs: 120_000 });
    let report;
    try {
      report = JSON.parse(run.stdout) as { exitCode: number; checks: { id: string; status: string }[] };
    } catch {
      throw new Error(`no JSON from ${args.join(' ')} (exit ${run.code}): ${run.stderr.slice(-1000)}`);
    }
    expect(report);
    if (i > 0) walls.push(run.wallMs);
  }
  return spread(walls);
}

const allPassed = (what: string) => (report: { exitCode: number; checks: { id: string; status: string }[] }) => {
  if (report.exitCode !== 0) throw new Error(`${what} exited ${report.exitCode}: ${report.checks.filter((c) => c.status !== 'pass').map((c) => c.id).join(', ')}`);
};

export async function printClusterBench({ cli, env, runs }: ClusterBenchOptions): Promise<void> {
  const note = (line: string) => process.stderr.write(`${line}\n`);
  note('cluster matrix: starting redis-server and 3 livekit-server nodes joined by it…');
  const redis = await startRedis();
  const keys = [makeKeyPair('b')];
  const nodes: LiveKitServer[] = [];
  try {
    for (let i = 0; i < 3; i++) nodes.push(await startLiveKitServer({ keys, extraConfig: `redis:\n  address: 127.0.0.1:${redis.port}\n  db: 0` }));
    const creds = ['--api-key', keys[0]!.key, '--api-secret', keys[0]!.secret, '--no-env-file'];
    const url = ['--url', nodes[0]!.url];
    note(`cluster: single-node probe path (${runs} runs)…`);
    const single = await wallTimes(cli, env, runs, ['check', ...url, ...creds, '--only', 'probe.job-received'], allPassed('the probe path'));
    const rows: [string, string, string][] = [['single-node probe path (register → dispatch → job)', fmtSpread(single), '']];
    for (const n of [2, 3]) {
      note(`cluster: matrix with ${n} nodes (${runs} runs)…`);
      const nodeArgs = nodes.slice(0, n).flatMap((s) => ['--node', s.url]);
      const matrix = await wallTimes(cli, env, runs, ['check', ...url, ...creds, '--only', 'cluster', ...nodeArgs], allPassed(`the ${n}-node matrix`));
      const ratio = matrix.median / (n * single.median);
      rows.push([`matrix, ${n} nodes (${n} probes, ${n * n} dispatches)`, fmtSpread(matrix), `${n}× single = ${fmtMs(n * single.median)}; matrix/(${n}× single) = ${ratio.toFixed(2)}×`]);
    }
    const w0 = Math.max(...rows.map((r) => r[0].length));
    const w1 = Math.max(...rows.map((r) => r[1].length));
    process.stdout.write(`\ncluster matrix: process wall time, median (min–max, n runs), nodes on loopback sharing one redis-server\n\n`);
    for (const [a, b, c] of rows) process.stdout.write(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}\n`);
  } finally {
    await Promise.all(nodes.map((s) => s.stop()));
    await redis.stop();
  }
}
