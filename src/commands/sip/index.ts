import type { Command } from 'commander';
import { examples, globalOptions } from '../shared.js';
import { commandSummary } from '../catalog.js';

export function defineSipCommand(program: Command): void {
  const cmd = program
    .command('sip')
    .description(commandSummary('sip'))
    .option('--agent <name>', 'the agent calls should reach (env LIVEKIT_AGENT_NAME); compared byte for byte with each rule\'s agents')
    .action(async (opts: { agent?: string }, command: Command) => {
      const { runSipCommand } = await import('./run.js');
      process.exitCode = await runSipCommand(globalOptions(command), opts);
    });
  cmd.addHelpText(
    'after',
    `
Read-only: nothing is created. Whether a worker serves each named agent is measured by
\`livekit-doctor check --sip --agent <name>\` (it dispatches that name). JSON (--json): schema livekit-doctor/sip@1.
Exit codes: 0 no problem found · 1 a rule problem, or SIP unavailable · 2 unusable settings.`,
  );
  examples(cmd, ['livekit-doctor sip', 'livekit-doctor sip --agent my-agent', 'livekit-doctor sip --agent my-agent --json']);
}
