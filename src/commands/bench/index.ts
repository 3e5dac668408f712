import { Option, type Command } from 'commander';
import { examples, globalOptions } from '../shared.js';
import type { BenchCommandOptions } from './options.js';
import { commandSummary } from '../catalog.js';

export function defineBenchCommand(program: Command): void {
  const cmd = program
    .command('bench')
    .description(commandSummary('bench'))
    .option('--agent <name>', 'dispatch your real agent under this name and time dispatch → agent participant joined (starts real agent sessions)')
    .option('--dispatches <n>', 'dispatches per step', '20')
    .option('--concurrency <list>', 'closed loop: dispatches in flight; a comma-separated list runs a ramp, one step each (default 5)')
    .option('--rate <list>', 'open loop instead: dispatches started per second (e.g. 10 or 5,10,20)')
    .option('--workers <n>', 'probe workers registered under the one probe name (default 1; not with --agent)')
    .option('--slo <expr>', 'fail (exit 1) unless every step meets these terms, e.g. job.p95<500ms,lost=0')
    .option('--html <file>', 'also write a self-contained HTML page with the latency distribution and latency over time')
    .option('--yes', 'do not ask before a large run against a server that is not on this machine')
    .addOption(new Option('--probe-answer-delay <ms>', 'the probe answers its job requests this late (reproduces a slow request handler)').hideHelp())
    .action(async (opts: BenchCommandOptions, command: Command) => {
      const { runBenchCommand } = await import('./run.js');
      process.exitCode = await runBenchCommand(globalOptions(command), opts);
    });
  cmd.addHelpText(
    'after',
    `
Every time starts right before CreateDispatch is sent and is stamped, on a monotonic clock, when each
message arrives. --timeout (seconds, default 10) is also how long one dispatch may take to reach "joined";
later it counts as lost, classified: never offered to any worker · offered, but the answer/assignment timed
out · assigned, but never joined. Steps run one after the other, never overlapping.

SLO terms: <stage>.<stat> with stage api|job|assign|join and stat min|p50|p90|p95|p99|max|mean (ms or s),
lost (count), throughput (joined/s); operators < <= > >= =. Every step must meet every term.
Exit codes: 0 ok · 1 a job was lost (or --slo violated) · 2 usage or configuration error · 130 interrupted.
JSON (--json): schema livekit-doctor/bench@1. Every room and dispatch the run created is deleted, also on Ctrl-C.`,
  );
  examples(cmd, [
    'livekit-doctor bench',
    'livekit-doctor bench --concurrency 1,10,20,35 --dispatches 40',
    'livekit-doctor bench --rate 5 --dispatches 100 --html bench.html',
    'livekit-doctor bench --slo "job.p95<500ms,lost=0" --json > bench.json',
    'livekit-doctor bench --agent my-agent --dispatches 10 --concurrency 2',
  ]);
}
