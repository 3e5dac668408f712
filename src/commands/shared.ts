import type { Command } from 'commander';
import type { GlobalOptions } from '../config/types.js';

export type { GlobalOptions };

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
