import type { Command } from 'commander';
import { examples, globalOptions } from '../shared.js';
import type { CleanupCommandOptions } from './options.js';
import { commandSummary } from '../catalog.js';

export function defineCleanupCommand(program: Command): void {
  const cmd = program
    .command('cleanup')
    .description(commandSummary('cleanup'))
    .option('--delete', 'delete them (without it: only list what would be deleted)')
    .option('--older-than <minutes>', 'only rooms created at least this long ago (a run in progress is younger)', '5')
    .option('--room <name>', 'exactly this livekit-doctor-* room, whatever its age (repeatable; as printed by a run that could not remove it)', (v: string, prev: string[] = []) => [...prev, v])
    .action(async (opts: CleanupCommandOptions, command: Command) => {
      const { runCleanupCommand } = await import('./run.js');
      process.exitCode = await runCleanupCommand(globalOptions(command), opts);
    });
  cmd.addHelpText('after', '\nOnly rooms whose name starts with livekit-doctor- are ever touched. Exit codes: 0 nothing left (or a dry run) · 1 a deletion failed · 2 bad flags or settings.');
  examples(cmd, ['livekit-doctor cleanup', 'livekit-doctor cleanup --delete', 'livekit-doctor cleanup --delete --room livekit-doctor-0a1b2c3d4e', 'livekit-doctor cleanup --older-than 0 --json']);
}
