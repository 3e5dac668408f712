import type { Command } from 'commander';
import { examples, globalOptions } from '../shared.js';
import { commandSummary } from '../catalog.js';

export function defineConfigCommand(program: Command): void {
  const cmd = program
    .command('config')
    .description(commandSummary('config'))
    .action(async (_opts, command: Command) => {
      const { runConfig } = await import('./run.js');
      process.exitCode = await runConfig(globalOptions(command));
    });
  examples(cmd, ['livekit-doctor config', 'livekit-doctor config --env-file ../agent/.env --json']);
}
