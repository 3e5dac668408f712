// Loaded with `node --import` into a measured livekit-doctor process (npm run bench, benchmarks/monitor.ts):
// at exit it appends the process's own CPU time and peak memory as a JSON line to $LKD_BENCH_USAGE_FILE (the
// monitor's run processes inherit this preload, so each of them adds its line too); with --expose-gc,
// SIGUSR2 runs a full garbage collection (so that a heap reading right after it is not a matter of GC timing).
import { appendFileSync } from 'node:fs';

const file = process.env.LKD_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    appendFileSync(file, `${JSON.stringify({ pid: process.pid, child: typeof process.send === 'function', cpuS: (u.userCPUTime + u.systemCPUTime) / 1e6, maxRssBytes: u.maxRSS * 1024 })}\n`);
  });
}
if (typeof globalThis.gc === 'function') process.on('SIGUSR2', () => globalThis.gc());
