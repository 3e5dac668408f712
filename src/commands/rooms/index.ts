import type { Command } from 'commander';
import { examples, globalOptions } from '../shared.js';
import { commandSummary } from '../catalog.js';

export function defineRoomsCommand(program: Command): void {
  const cmd = program
    .command('rooms')
    .description(commandSummary('rooms'))
    .option('--node <url>', "ask each cluster node at its own address (repeat for each node): which nodes list which rooms", (v: string, prev: string[] = []) => [...prev, v])
    .action(async (opts: { node?: string[] }, command: Command) => {
      const { runRooms, runRoomsOnNodes } = await import('./run.js');
      process.exitCode = opts.node?.length ? await runRoomsOnNodes(globalOptions(command), opts.node) : await runRooms(globalOptions(command));
    });
  examples(cmd, ['livekit-doctor rooms', 'livekit-doctor rooms --json | jq ".rooms[].name"', 'livekit-doctor rooms --node ws://10.0.0.1:7880 --node ws://10.0.0.2:7880']);
}
