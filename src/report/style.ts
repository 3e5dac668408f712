import { Chalk, type ChalkInstance } from 'chalk';

/** A chalk that honours --no-color, NO_COLOR and whether stdout is a terminal. */
export function makeChalk(opts: { color?: boolean }, stream: NodeJS.WriteStream = process.stdout): ChalkInstance {
  const off = opts.color === false || !!process.env.NO_COLOR || process.env.FORCE_COLOR === '0' || !stream.isTTY;
  return new Chalk({ level: off ? 0 : 1 });
}
