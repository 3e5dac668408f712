import { Option, type Command } from 'commander';
import { examples, globalOptions } from '../shared.js';
import type { MonitorCommandOptions } from './options.js';
import { commandSummary } from '../catalog.js';

const list = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
const repeatable = (value: string, previous: string[] = []) => [...previous, value];

export function defineMonitorCommand(program: Command): void {
  const cmd = program
    .command('monitor')
    .description(commandSummary('monitor'))
    .option('--interval <duration>', 'time from one run of a target to its next (e.g. 60s, 5m, 500ms); a run is never started while the previous one runs', '60s')
    .option('--listen <host:port>', 'where to serve /metrics, /healthz and /readyz (:9464 for every interface, port 0 for a free one)', '127.0.0.1:9464')
    .option('--targets <file.yaml>', 'watch several projects or regions: a YAML list of targets, each with name, url, api_key, api_secret (${ENV_VAR} references), optional interval and agent')
    .option('--target-name <name>', 'without --targets: the target label of the one project watched', 'default')
    .option('--runs <n>', 'stop after this many runs of each target (default: run until SIGINT/SIGTERM)')
    .option('--runs-per-process <n>', 'each run executes in a child process, replaced after this many runs: 1 (default) costs about what check costs per run; more cuts CPU but keeps the native memory @livekit/rtc-node holds per room joined', '1')
    .option('--agent <name>', 'also dispatch your real agent in every run (each run starts a real agent session); a target in --targets may name its own')
    .option('--probe-name <name>', 'register the probe under this name instead of a unique one per run')
    .addOption(new Option('--probe-mode <mode>', 'how the probe answers its job').choices(['accept', 'observe', 'reject']).default('accept'))
    .option('--worker-id <id>', 'with --agent: the worker id your agent logged (AW_…)')
    .option('--voice', 'with --agent: also talk to the agent in every run')
    .option('--voice-input <wav>', 'with --voice: speak this 16-bit PCM WAV')
    .option('--agent-http <url>', "with --agent: your agent's own HTTP endpoint (repeatable)", repeatable)
    .option('--server-log <file>', "the livekit-server's log file, read again in every run (stdin cannot be: it is read once)")
    .option('--wait <seconds>', 'how long each run waits for job requests, assignments and joins', '10')
    .option('--only <ids>', 'run only these checks (comma-separated ids or groups)', list)
    .option('--skip <ids>', 'skip these checks (comma-separated ids or groups)', list)
    .option('--strict', 'a warning makes a run count as failed')
    .action(async (opts: MonitorCommandOptions, command: Command) => {
      const { runMonitorCommand } = await import('./run.js');
      process.exitCode = await runMonitorCommand(globalOptions(command), opts);
    });
  cmd.addHelpText(
    'after',
    `
Each run is the check checklist with its cleanup; a failing run never stops the loop, and one slow or broken
target never delays another. Metrics carry the labels target, check, stage, cause and result only (never a
room, job id, URL or secret). Status lines go to stderr; --json prints one JSON line per run on stdout
(schema livekit-doctor/monitor-run@1). SIGINT/SIGTERM let the current runs finish their cleanup, then exit
130/143. Alert rules to start from: monitoring/livekit-doctor.rules.yml in the repository.`,
  );
  examples(cmd, [
    'livekit-doctor monitor',
    'livekit-doctor monitor --interval 30s --listen 127.0.0.1:9464 --target-name eu',
    'livekit-doctor monitor --targets targets.yaml --json',
    'livekit-doctor monitor --agent my-agent --interval 5m',
  ]);
}
