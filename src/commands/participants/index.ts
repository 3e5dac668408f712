import type { Command } from 'commander';
import { examples, globalOptions } from '../shared.js';
import { commandSummary } from '../catalog.js';

export function defineParticipantsCommand(program: Command): void {
  const cmd = program
    .command('participants')
    .argument('<room>', 'the room name')
    .description(commandSummary('participants'))
    .option('--node <url>', "ask each cluster node at its own address (repeat for each node): which nodes see the room and its participants", (v: string, prev: string[] = []) => [...prev, v])
    .action(async (room: string, opts: { node?: string[] }, command: Command) => {
      const { runParticipants, runParticipantsOnNodes } = await import('./run.js');
      process.exitCode = opts.node?.length ? await runParticipantsOnNodes(room, globalOptions(command), opts.node) : await runParticipants(room, globalOptions(command));
    });
  examples(cmd, ['livekit-doctor participants my-room', 'livekit-doctor participants my-room --json', 'livekit-doctor participants my-room --node ws://10.0.0.1:7880 --node ws://10.0.0.2:7880']);
}
