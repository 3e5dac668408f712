import { MAX_LOG_BYTES, parseServerLog, readServerLog, type ParsedServerLog } from '../../evidence/server-log.js';
import type { RunFacts, ServerLogSource } from '../facts.js';

export type { ServerLogSource };

export function serverLogSource(facts: RunFacts): ServerLogSource | undefined {
  return facts.serverLogSource;
}

/** A terminal as stdin is refused before the run (check-action.ts): here stdin is a pipe. */
export function openServerLogSource(facts: RunFacts, pathOrDash: string, stdin: NodeJS.ReadableStream = process.stdin): ServerLogSource {
  const source = pathOrDash === '-' ? stdinSource(stdin) : fileSource(pathOrDash);
  facts.serverLogSource = source;
  return source;
}

function fileSource(path: string): ServerLogSource {
  return {
    name: path,
    async read() {
      const { text, truncated } = await readServerLog(path);
      return { ...parseServerLog(text), truncated };
    },
    close() {},
  };
}

function stdinSource(stream: NodeJS.ReadableStream): ServerLogSource {
  const chunks: Buffer[] = [];
  let bytes = 0;
  let truncated = false;
  const onData = (chunk: Buffer | string) => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const room = MAX_LOG_BYTES - bytes;
    if (buf.length > room) truncated = true;
    if (room <= 0) return;
    chunks.push(buf.subarray(0, room));
    bytes += Math.min(buf.length, room);
  };
  stream.on('data', onData);
  stream.resume();
  return {
    name: 'stdin',
    async read() {
      // A line still being written is left for the next read.
      const text = Buffer.concat(chunks).toString('utf8');
      return { ...parseServerLog(text.slice(0, text.lastIndexOf('\n') + 1)), truncated };
    },
    close() {
      stream.removeListener('data', onData);
      stream.pause();
    },
  };
}
