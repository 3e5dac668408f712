import { open, stat } from 'node:fs/promises';
import { looksBinary, MAX_LOG_BYTES, NotAServerLogError, parseServerLog, readServerLog, type LogEntry, type ParsedServerLog } from '../../evidence/server-log.js';
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

type Parsed = ParsedServerLog & { truncated: boolean };

/**
 * The log so far plus what arrived since: only complete new lines are parsed (a line still being written
 * waits for the next read), numbered on from the lines before, so the log is followed live at the cost of
 * what it grew by, not of its whole size.
 */
class Accumulator {
  private entries: LogEntry[] = [];
  private unparsed = 0;
  private lines = 0;
  private format: ParsedServerLog['format'] = 'console';
  private jsonish = 0;
  /** Binary or other non-log input, kept to name it when no log line ever came. */
  private notALog?: NotAServerLogError;
  truncated = false;

  /** Adds complete lines (text ending in a newline, or the whole text at the end of input). */
  add(text: string): void {
    if (!text) return;
    const count = text.split(/\r?\n/).length - (text.endsWith('\n') ? 1 : 0);
    let parsed: ParsedServerLog | undefined;
    try {
      parsed = parseServerLog(text);
    } catch (err) {
      // No log line in this chunk (another program's output): counted, not fatal while following.
      this.unparsed += text.split(/\r?\n/).filter((l) => l.trim()).length;
      if (err instanceof NotAServerLogError) this.notALog ??= err;
    }
    if (parsed) {
      for (const e of parsed.entries) this.entries.push({ ...e, line: e.line + this.lines });
      this.unparsed += parsed.unparsed;
      if (parsed.format === 'json') this.jsonish += parsed.entries.length;
      this.format = this.jsonish * 2 >= this.entries.length ? 'json' : 'console';
    }
    this.lines += count;
  }

  /** Throws the parser's one-line UsageError when nothing read so far is a server log line. */
  snapshot(): Parsed {
    if (this.entries.length === 0) {
      if (this.notALog) throw this.notALog;
      parseServerLog('');
    }
    return { format: this.format, entries: this.entries, unparsed: this.unparsed, truncated: this.truncated };
  }
}

function fileSource(path: string): ServerLogSource {
  let acc: Accumulator | undefined;
  let offset = 0;
  let reading: Promise<Parsed> | undefined;
  const readNew = async (): Promise<Parsed> => {
    if (!acc) {
      const { text, truncated, bytesRead } = await readServerLog(path);
      // Not truncated: the read began at byte 0. Truncated (a log over 64 MB): its end is about now's size.
      const end = truncated ? (await stat(path)).size : bytesRead;
      const fresh = new Accumulator();
      fresh.truncated = truncated;
      const complete = text.slice(0, text.lastIndexOf('\n') + 1);
      fresh.add(complete);
      const parsed = fresh.snapshot(); // throws (and leaves acc unset) when this is no server log
      acc = fresh;
      offset = end - Buffer.byteLength(text.slice(complete.length));
      return parsed;
    }
    const info = await stat(path).catch(() => undefined);
    // A rotated or truncated file starts over.
    if (info && info.size < offset) offset = 0;
    if (info && info.size > offset) {
      const length = Math.min(info.size - offset, MAX_LOG_BYTES);
      const handle = await open(path, 'r');
      try {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, offset);
        const text = buffer.subarray(0, bytesRead).toString('utf8');
        const complete = text.slice(0, text.lastIndexOf('\n') + 1);
        offset += Buffer.byteLength(complete);
        acc.add(complete);
      } finally {
        await handle.close();
      }
    }
    return acc.snapshot();
  };
  return {
    name: path,
    // Concurrent readers share one read.
    read: () => (reading ??= readNew().finally(() => (reading = undefined))),
    close() {},
  };
}

function stdinSource(stream: NodeJS.ReadableStream): ServerLogSource {
  const acc = new Accumulator();
  let pending = '';
  let bytes = 0;
  const onData = (chunk: Buffer | string) => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const room = MAX_LOG_BYTES - bytes;
    if (buf.length > room) acc.truncated = true;
    if (room <= 0) return;
    pending += buf.subarray(0, room).toString('utf8');
    bytes += Math.min(buf.length, room);
  };
  stream.on('data', onData);
  stream.resume();
  return {
    name: 'stdin',
    async read() {
      // A line still being written is left for the next read; binary input goes to the parser whole, which names it.
      const cut = looksBinary(pending) ? pending.length : pending.lastIndexOf('\n') + 1;
      if (cut > 0) {
        acc.add(pending.slice(0, cut));
        pending = pending.slice(cut);
      }
      return acc.snapshot();
    },
    close() {
      stream.removeListener('data', onData);
      stream.pause();
    },
  };
}
