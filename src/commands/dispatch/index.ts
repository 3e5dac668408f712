import type { Command } from 'commander';
import { examples, globalOptions } from '../shared.js';
import { commandSummary } from '../catalog.js';

export function defineDispatchCommand(program: Command): void {
  const dispatch = program
    .command('dispatch')
    .description(commandSummary('dispatch'));
  examples(dispatch, [
    'livekit-doctor dispatch create --room my-room --agent-name my-agent',
    'livekit-doctor dispatch list --room my-room',
    'livekit-doctor dispatch delete --room my-room AD_xxxxxxxxxxxx',
  ]);

  const create = dispatch
    .command('create')
    .description('dispatch an agent (by its registered name) to a room; creates the room if it is missing')
    .requiredOption('--room <room>', 'the room name')
    .requiredOption('--agent-name <name>', 'the agent name the worker registered with (exact, case-sensitive)')
    .option('--metadata <text>', 'job metadata handed to the agent')
    .action(async (o: { room: string; agentName: string; metadata?: string }, command: Command) => {
      const { runDispatchCreate } = await import('./run.js');
      process.exitCode = await runDispatchCreate(o, globalOptions(command));
    });
  examples(create, ['livekit-doctor dispatch create --room my-room --agent-name my-agent --metadata \'{"user":"42"}\'']);

  const list = dispatch
    .command('list')
    .description("list a room's dispatches and the jobs the server reports for them")
    .requiredOption('--room <room>', 'the room name')
    .action(async (o: { room: string }, command: Command) => {
      const { runDispatchList } = await import('./run.js');
      process.exitCode = await runDispatchList(o, globalOptions(command));
    });
  examples(list, ['livekit-doctor dispatch list --room my-room', 'livekit-doctor dispatch list --room my-room --json']);

  const remove = dispatch
    .command('delete')
    .description('delete one dispatch of a room by its id (AD_…)')
    .requiredOption('--room <room>', 'the room name')
    .argument('<id>', 'the dispatch id, as shown by `dispatch list`')
    .action(async (id: string, o: { room: string }, command: Command) => {
      const { runDispatchDelete } = await import('./run.js');
      process.exitCode = await runDispatchDelete({ ...o, id }, globalOptions(command));
    });
  examples(remove, ['livekit-doctor dispatch delete --room my-room AD_xxxxxxxxxxxx']);
}

