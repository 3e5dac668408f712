import { UsageError } from '../core/errors.js';

export function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** Asks on the terminal before a large or costly run against a server that is not on this machine; `--yes` skips it. */
export async function confirm(what: string, command: string): Promise<void> {
  if (!process.stdin.isTTY) throw new UsageError(`${what}: refusing without --yes (no terminal to ask on)`);
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${what}. Continue? [y/N] `);
    if (!/^y(es)?$/i.test(answer.trim())) throw new UsageError(`${command} cancelled`);
  } finally {
    rl.close();
  }
}
