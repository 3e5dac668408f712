#!/usr/bin/env -S node --
// The `--` ends Node's own options before the script: Node 20 parses `--env-file` anywhere on the command line,
// even after the script name, and exits 9 ("node: <path>: not found") before the doctor runs. With it, the
// doctor's own `--env-file` reaches the doctor. (`env -S`: GNU coreutils ≥ 8.30, macOS; npm's Windows shims
// read it too.) Run by hand on Node 20 as `node -- bin/livekit-doctor.js …` for the same reason.

// Ctrl-C or SIGTERM outside a run's own handler (core/interrupt.ts, which cleans up): while the modules still
// load, or after the run's cleanup, while the outputs are written. One line and the documented code, not a
// silent death. It stays registered (removing it while another is added would drop Node's signal watcher)
// and steps aside whenever that handler is there.
const outside = (name) => {
  if (process.listenerCount(name) > 1) return;
  process.stderr.write(`livekit-doctor: interrupted by ${name} outside the run (before it started or after its cleanup): nothing is left to remove\n`);
  process.exit(name === 'SIGTERM' ? 143 : 130);
};
process.on('SIGINT', outside);
process.on('SIGTERM', outside);
await import('../dist/cli.js');
