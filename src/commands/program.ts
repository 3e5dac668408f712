import { Command, Help, Option } from 'commander';
import { createRequire } from 'node:module';
import { COMMAND_CATALOG, type CommandName } from './catalog.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

type Define = (program: Command) => void;

/** Each command's full definition, loaded only for the command that runs (or all, for the docs and tests). */
const DEFINITIONS: Record<CommandName, () => Promise<Define>> = {
  check: async () => (await import('./check/index.js')).defineCheckCommand,
  config: async () => (await import('./config/index.js')).defineConfigCommand,
  probe: async () => (await import('./probe/index.js')).defineProbeCommand,
  'agent-status': async () => (await import('./agent-status/index.js')).defineAgentStatusCommand,
  rooms: async () => (await import('./rooms/index.js')).defineRoomsCommand,
  participants: async () => (await import('./participants/index.js')).defineParticipantsCommand,
  dispatch: async () => (await import('./dispatch/index.js')).defineDispatchCommand,
  bundle: async () => (await import('./bundle.js')).defineBundleCommand,
  token: async () => (await import('./token/index.js')).defineTokenCommand,
  bench: async () => (await import('./bench/index.js')).defineBenchCommand,
  sip: async () => (await import('./sip/index.js')).defineSipCommand,
  monitor: async () => (await import('./monitor/index.js')).defineMonitorCommand,
  talk: async () => (await import('./talk/index.js')).defineTalkCommand,
  cleanup: async () => (await import('./cleanup/index.js')).defineCleanupCommand,
};

/**
 * The program with `full` commands defined in full ('all' for every one) and the rest as catalog entries:
 * enough for the top-level help, --version and "unknown command", at a fraction of the start-up.
 */
export async function buildProgram(full: CommandName | 'all' | undefined): Promise<Command> {
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
    .configureHelp({
      sortSubcommands: false,
      // A catalog entry has no options or arguments of its own: show the term its full definition would have.
      subcommandTerm: (cmd) => (cmd.parent?.parent ? undefined : COMMAND_CATALOG.find((c) => c.name === cmd.name())?.term) ?? defaultTerm(cmd),
    })
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

  for (const entry of COMMAND_CATALOG) {
    if (full === 'all' || full === entry.name) (await DEFINITIONS[entry.name]())(program);
    else {
      program
        .command(entry.name)
        .description(entry.summary)
        .allowUnknownOption()
        .allowExcessArguments()
        .action(() => {
          throw new Error(`the definition of "${entry.name}" was not loaded (the arguments named another command)`);
        });
    }
  }
  return program;
}

function defaultTerm(cmd: Command): string {
  return new Help().subcommandTerm(cmd);
}

/**
 * The command the arguments run (after the program's own options, reading their values as commander does), or
 * after `help`; undefined when none is named (top-level help, --version, an unknown command).
 */
export function invokedCommand(args: string[]): CommandName | undefined {
  const known = (name: string | undefined) => COMMAND_CATALOG.find((c) => c.name === name)?.name;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') return undefined;
    if (arg.startsWith('-')) {
      if (GLOBAL_VALUE_OPTIONS.includes(arg)) i++;
      continue;
    }
    if (arg === 'help') return known(args.slice(i + 1).find((a) => !a.startsWith('-')));
    return known(arg);
  }
  return undefined;
}

/** The program's options that take a value in the next argument (unless written --opt=value). */
const GLOBAL_VALUE_OPTIONS = ['--url', '--api-key', '--api-secret', '--env-file', '--project', '--timeout'];

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

