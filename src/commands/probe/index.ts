import { Option, type Command } from 'commander';
import { UsageError } from '../../core/errors.js';
import { examples, globalOptions } from '../shared.js';
import { commandSummary } from '../catalog.js';

export interface ProbeCommandOptions {
  agentName?: string;
  mode: 'accept' | 'observe' | 'reject';
  duration?: string;
}

export function defineProbeCommand(program: Command): void {
  const cmd = program
    .command('probe')
    .description(commandSummary('probe'))
    .option('--agent-name <name>', 'register under this agent name (default: a fresh livekit-doctor-probe-<id>)')
    .addOption(new Option('--mode <mode>', 'accept: take jobs and join the room · observe: take jobs, don\'t join · reject: answer unavailable').choices(['accept', 'observe', 'reject']).default('accept'))
    .option('--duration <seconds>', 'stop after this many seconds (default: until Ctrl-C)')
    .action(async (opts: ProbeCommandOptions, command: Command) => {
      const duration = opts.duration === undefined ? undefined : Number(opts.duration);
      if (duration !== undefined && !(duration > 0 && Number.isFinite(duration))) {
        throw new UsageError(`--duration must be a positive number of seconds (got "${opts.duration}")`);
      }
      if (opts.agentName !== undefined && opts.agentName.trim() === '') throw new UsageError('--agent-name must not be empty');
      const { runProbe } = await import('./run.js');
      process.exitCode = await runProbe(globalOptions(command), { ...opts, durationMs: duration === undefined ? undefined : duration * 1000 });
    });
  cmd.addHelpText(
    'after',
    `
Each job request is printed as it arrives: room, job id, dispatch id, metadata, and the time since
the probe registered. With --json, one JSON object per line (NDJSON) on stdout.
Under your real agent's name the probe competes with your workers for real jobs, and its answers
decide those jobs; the default fresh name receives only jobs dispatched to it.`,
  );
  examples(cmd, [
    'livekit-doctor probe',
    'livekit-doctor probe --duration 60 --json > jobs.ndjson',
    'livekit-doctor probe --agent-name my-agent --mode reject   # see requests your agent would get',
    'lk dispatch create --room test-room --agent-name <probe name>   # in another terminal',
  ]);
}
