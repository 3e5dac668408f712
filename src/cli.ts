import { Command, CommanderError, Option } from 'commander';
import { createRequire } from 'node:module';
import { ExitCode, DoctorError, InternalError } from './core/errors.js';
import { defineCheckCommand } from './commands/check/index.js';
import { defineConfigCommand } from './commands/config/index.js';
import { defineProbeCommand } from './commands/probe/index.js';
import { defineAgentStatusCommand } from './commands/agent-status/index.js';
import { defineRoomsCommand } from './commands/rooms/index.js';
import { defineParticipantsCommand } from './commands/participants/index.js';
import { defineDispatchCommand } from './commands/dispatch/index.js';
import { defineBundleCommand } from './commands/bundle.js';
import { defineTokenCommand } from './commands/token/index.js';
import { defineBenchCommand } from './commands/bench/index.js';
import { defineSipCommand } from './commands/sip/index.js';
import { defineMonitorCommand } from './commands/monitor/index.js';
import { defineTalkCommand } from './commands/talk/index.js';
import { defineCleanupCommand } from './commands/cleanup/index.js';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

// rtc-node logs debug lines to stdout unless it runs in production mode; that would break --json.
process.env.NODE_ENV ??= 'production';

export function buildProgram(): Command {
  const program = new Command('livekit-doctor')
    .description('Finds out, with evidence, why a LiveKit agent does not join rooms.')
    .version(version, '-V, --version', 'print the version and exit')
    .option('--url <url>', 'LiveKit server URL (wss://…, https://…); env LIVEKIT_URL')
    .option('--api-key <key>', 'API key; env LIVEKIT_API_KEY')
    .option('--api-secret <secret>', 'API secret; env LIVEKIT_API_SECRET (never printed)')
    .option('--env-file <path>', 'read settings from this env file (repeatable; default: .env.local and .env here)', collect)
    .option('--no-env-file', 'read no env files')
    .option('--project <name>', 'use a project from the lk CLI config (~/.livekit/cli-config.yaml)')
    .option('--timeout <seconds>', 'deadline for each network call', '10')
    .option('--verbose', 'more detail, and stack traces for internal errors')
    .option('--no-color', 'no colours (also: NO_COLOR=1)')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false })
    .addHelpText(
      'after',
      `
Settings precedence: flags > environment > env files > lk project.
Exit codes: 0 ok · 1 a check or operation failed · 2 usage or configuration error · 3 internal error · 130 interrupted.

Examples:
  $ livekit-doctor check --url wss://my-project.livekit.cloud --api-key APIxxx --api-secret ****
  $ livekit-doctor check --agent my-agent
  $ livekit-doctor rooms --json
`,
    );
  program.addOption(new Option('--json', 'machine-readable output on stdout (the only thing on stdout)'));

  defineCheckCommand(program);
  defineConfigCommand(program);
  defineProbeCommand(program);
  defineAgentStatusCommand(program);
  defineRoomsCommand(program);
  defineParticipantsCommand(program);
  defineDispatchCommand(program);
  defineBundleCommand(program);
  defineTokenCommand(program);
  defineBenchCommand(program);
  defineSipCommand(program);
  defineMonitorCommand(program);
  defineTalkCommand(program);
  defineCleanupCommand(program);
  return program;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The one error handler: a classified error is one line and its exit code; anything else is internal (3). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  // Subcommands do not inherit exitOverride when it is set after they were added: without it a
  // missing option in a subcommand exits 1 through commander instead of the usage code 2.
  const overrideExit = (cmd: Command): void => {
    cmd.exitOverride();
    cmd.commands.forEach(overrideExit);
  };
  overrideExit(program);
  if (process.env.NO_COLOR || argv.includes('--no-color')) process.env.FORCE_COLOR = '0';
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') {
        return ExitCode.ok;
      }
      return ExitCode.usage;
    }
    if (err instanceof DoctorError) {
      process.stderr.write(`livekit-doctor: ${await redactLine(err.message)}\n`);
      if (verbose && err.stack) process.stderr.write(`${await redactLine(err.stack)}\n`);
      return err.exitCode;
    }
    const internal = new InternalError(err);
    process.stderr.write(`livekit-doctor: internal error: ${await redactLine(internal.message)}\n`);
    if (verbose && err instanceof Error && err.stack) process.stderr.write(`${await redactLine(err.stack)}\n`);
    process.stderr.write(`${await redactLine(internal.issueText({ version, argv }))}\n`);
    return ExitCode.internal;
  }
}

async function redactLine(text: string): Promise<string> {
  const { redact } = await import('./core/redact.js');
  return redact(text);
}

const code = await main(process.argv);
// Sockets or timers left by a library must not keep a finished run alive; stdout and stderr are
// synchronous for files and pipes on POSIX, so nothing written is lost.
process.exit(code);
