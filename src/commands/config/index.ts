import type { Command } from 'commander';
import { examples, globalOptions } from '../shared.js';

export function defineConfigCommand(program: Command): void {
  const cmd = program
    .command('config')
    .description('print the resolved settings: the key masked, the secret never shown, and where each value came from')
    .action(async (_opts, command: Command) => {
      const { runConfig } = await import('./run.js');
      process.exitCode = await runConfig(globalOptions(command));
    });
  examples(cmd, ['livekit-doctor config', 'livekit-doctor config --env-file ../agent/.env --json']);
}
