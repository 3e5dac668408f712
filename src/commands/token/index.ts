import type { Command } from 'commander';
import { examples, globalOptions } from '../shared.js';
import type { TokenCreateOptions } from './options.js';
import { commandSummary } from '../catalog.js';

export function defineTokenCommand(program: Command): void {
  const token = program.command('token').description(commandSummary('token'));
  examples(token, ['livekit-doctor token inspect eyJhbGciOi…', 'pbpaste | livekit-doctor token inspect -', 'livekit-doctor token create --room demo --identity alice --agent my-agent']);

  const inspect = token
    .command('inspect')
    .description(
      'decode a token and check it: signature against the configured secret (or "another key / project"), identity, ' +
        "nbf/exp against this machine's and the server's clock, video grants, the agent dispatches in its room configuration, " +
        'and whether its room is already live (then the dispatch is ignored). Never prints the token itself',
    )
    .argument('[jwt]', 'the token ("Bearer …" and quotes are stripped); "-" or nothing reads it from stdin')
    .action(async (jwt: string | undefined, _o: unknown, command: Command) => {
      const { runTokenInspect } = await import('./run.js');
      process.exitCode = await runTokenInspect(globalOptions(command), jwt);
    });
  inspect.addHelpText('after', `\nJSON (--json): schema livekit-doctor/token@1. Exit codes: 0 valid (warnings printed) · 1 invalid (bad signature, expired, not yet valid, malformed) · 2 no token given.`);
  examples(inspect, [
    'livekit-doctor token inspect "$TOKEN"',
    'curl -s localhost:3000/api/token | livekit-doctor token inspect -',
    'livekit-doctor token inspect "$TOKEN" --json',
  ]);

  const create = token
    .command('create')
    .description('mint a join token for a room (as `lk token create` does); --agent puts an agent dispatch into its room configuration')
    .requiredOption('--room <room>', 'the room the token may join')
    .requiredOption('--identity <identity>', "the participant's identity")
    .option('--name <name>', "the participant's display name")
    .option('--ttl <duration>', 'validity: seconds or 30m, 1h, 2d', '1h')
    .option('--agent <name>', 'dispatch this agent when the join creates the room (roomConfig.agents)')
    .option('--agent-metadata <text>', 'with --agent: job metadata for the agent')
    .option('--token-only', 'print only the token on stdout (for scripts)')
    .action(async (o: TokenCreateOptions, command: Command) => {
      const { runTokenCreate } = await import('./run.js');
      process.exitCode = await runTokenCreate(globalOptions(command), o);
    });
  create.addHelpText('after', '\nThe token is a secret credential: stdout carries it (that is what it is for); everything else goes to stderr.\nWith --json: {token, url, identity, room, grants, agentDispatches, expiresAt}.');
  examples(create, ['livekit-doctor token create --room demo --identity alice --token-only', 'livekit-doctor token create --room demo --identity alice --agent my-agent --json']);
}
