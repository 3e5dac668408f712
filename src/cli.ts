import { CommanderError, type Command } from 'commander';
import { createRequire } from 'node:module';
import { ExitCode, DoctorError, InternalError } from './core/errors.js';
import { buildProgram, invokedCommand } from './commands/program.js';

const require = createRequire(import.meta.url);
const { version } = require('../package.json') as { version: string };

// rtc-node logs debug lines to stdout unless it runs in production mode; that would break --json.
process.env.NODE_ENV ??= 'production';

/** The one error handler: a classified error is one line and its exit code; anything else is internal (3). */
export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(invokedCommand(argv.slice(2)));
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
