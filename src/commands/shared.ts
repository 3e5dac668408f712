import type { Command } from 'commander';

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  url?: string;
  apiKey?: string;
  apiSecret?: string;
  /** Explicit env files; `false` when --no-env-file was given. */
  envFile?: string[] | false;
  project?: string;
  /** Seconds. */
  timeout?: string;
  verbose?: boolean;
  color?: boolean;
  json?: boolean;
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

/** Adds an "Examples:" block to a command's help. */
export function examples(cmd: Command, lines: string[]): Command {
  return cmd.addHelpText('after', `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`);
}

/** Status and progress go to stderr, so that stdout stays clean for --json. */
export function status(message: string): void {
  process.stderr.write(`${message}\n`);
}
