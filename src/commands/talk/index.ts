import type { Command } from 'commander';
import { examples, globalOptions } from '../shared.js';
import type { TalkCommandOptions } from './options.js';
import { commandSummary } from '../catalog.js';

export function defineTalkCommand(program: Command): void {
  const cmd = program
    .command('talk')
    .description(commandSummary('talk'))
    .requiredOption('--agent <name>', 'the agent to talk to, by its exact registered name (a real session starts; it ends when the doctor deletes the room)')
    .option('--turns <N>', 'how many turns (1-50)', '5')
    .option('--voice-input <wav>', 'what the user says: a 16-bit PCM WAV (default: the built-in sample "Hello, can you hear me? This is a test.")')
    .option('--wait <seconds>', "how long each turn waits for the agent's reply", '10')
    .option('--slo <terms>', 'fail (exit 1) unless these hold, e.g. "reply.p50<1200ms,thinking.p90<900ms" (metrics thinking|transcript|reply, stats min|p50|p90|p95|max|mean)')
    .option('--html <file>', 'also write an HTML report with every turn on a time axis')
    .option('--yes', 'do not ask before a long run against a server that is not on this machine')
    .action(async (opts: TalkCommandOptions, command: Command) => {
      const { runTalkCommand } = await import('./run.js');
      process.exitCode = await runTalkCommand(globalOptions(command), opts);
    });
  cmd.addHelpText('after', '\nJSON (--json): schema livekit-doctor/talk@1. Exit codes: 0 every turn answered (and the SLO met) · 1 a turn got no reply, the agent never joined, or the SLO was violated · 2 usage or configuration error · 130/143 interrupted (after cleanup).');
  examples(cmd, [
    'livekit-doctor talk --agent my-agent',
    'livekit-doctor talk --agent my-agent --turns 10 --slo "reply.p50<1200ms" --html talk.html',
    'livekit-doctor talk --agent my-agent --voice-input question.wav --json > talk.json',
  ]);
}
