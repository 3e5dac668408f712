import type { Command } from 'commander';
import { examples, globalOptions } from '../shared.js';
import { commandSummary } from '../catalog.js';

export function defineAgentStatusCommand(program: Command): void {
  const cmd = program
    .command('agent-status')
    .description(commandSummary('agent-status'))
    .argument('<url>', 'the agent\'s HTTP address, e.g. http://127.0.0.1:8081 (port 8081 in production)')
    .option('--agent <name>', 'the agent name your backend dispatches to; compared byte for byte with the registered name')
    .option('--deployment <name>', 'the deployment your dispatch targets (default: none)')
    .option('--load-threshold <load>', 'load at which the agent stops taking jobs', '0.7')
    .action(async (url: string, opts: { agent?: string; deployment?: string; loadThreshold?: string }, command: Command) => {
      const { runAgentStatus } = await import('./run.js');
      const globals = globalOptions(command);
      process.exitCode = await runAgentStatus(url, {
        ...opts,
        ...(globals.timeout ? { timeout: globals.timeout } : {}),
        ...(globals.json ? { json: true } : {}),
        apiSecret: globals.apiSecret ?? process.env.LIVEKIT_API_SECRET,
      });
    });
  examples(cmd, [
    'livekit-doctor agent-status http://127.0.0.1:8081',
    'livekit-doctor agent-status http://agent.internal:8081 --agent my-agent',
    'livekit-doctor agent-status 127.0.0.1:8081 --agent my-agent --json',
  ]);
}
