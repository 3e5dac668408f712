import { open, stat } from 'node:fs/promises';
import { UsageError } from '../../core/errors.js';

export const MAX_LOG_BYTES = 64 * 1024 * 1024;

export interface ServerLogText {
  text: string;
  /** The path, or `stdin`. */
  source: string;
  bytesRead: number;
  /** True when the input was larger than the limit: the file's most recent part, or stdin's first part, was kept. */
  truncated: boolean;
}

export interface ReadServerLogOptions {
  maxBytes?: number;
  /** Stop reading stdin after this long and use what arrived (default 30 s): a `tail -f` pipe never ends. */
  stdinTimeoutMs?: number;
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

/** Reads `--server-log <file|->`: a file (its last `maxBytes`) or stdin (its first `maxBytes`). */
export async function readServerLog(pathOrDash: string, opts: ReadServerLogOptions = {}): Promise<ServerLogText> {
  const maxBytes = opts.maxBytes ?? MAX_LOG_BYTES;
  if (pathOrDash === '-') return readStdin(opts.stdin ?? process.stdin, maxBytes, opts.stdinTimeoutMs ?? 30_000);
  let size: number;
  try {
    const info = await stat(pathOrDash);
    if (!info.isFile()) throw new UsageError(`--server-log ${pathOrDash}: not a file`);
    size = info.size;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new UsageError(`--server-log ${pathOrDash}: ${why} (give the path of a livekit-server log file, or - to read stdin)`);
  }
  const handle = await open(pathOrDash, 'r');
  try {
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, size - length);
    let text = buffer.subarray(0, bytesRead).toString('utf8');
    // Starting mid-file cuts the first line; drop that fragment.
    if (size > maxBytes) text = text.slice(text.indexOf('\n') + 1);
    return { text, source: pathOrDash, bytesRead, truncated: size > maxBytes };
  } finally {
    await handle.close();
  }
}

async function readStdin(stream: NonNullable<ReadServerLogOptions['stdin']>, maxBytes: number, timeoutMs: number): Promise<ServerLogText> {
  if (stream.isTTY) throw new UsageError('--server-log -: stdin is a terminal; pipe the log in, e.g. `docker logs livekit 2>&1 | livekit-doctor … --server-log -`');
  const chunks: Buffer[] = [];
  let bytes = 0;
  let truncated = false;
  await new Promise<void>((resolve, reject) => {
    const finish = () => {
      clearTimeout(timer);
      stream.removeListener('data', onData);
      stream.removeListener('end', finish);
      stream.removeListener('error', onError);
      stream.pause();
      resolve();
    };
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const room = maxBytes - bytes;
      chunks.push(buf.subarray(0, room));
      bytes += Math.min(buf.length, room);
      if (buf.length > room) {
        truncated = true;
        finish();
      }
    };
    const onError = (err: Error) => {
      clearTimeout(timer);
      reject(new UsageError(`--server-log -: cannot read stdin: ${err.message}`));
    };
    const timer = setTimeout(finish, timeoutMs);
    stream.on('data', onData);
    stream.once('end', finish);
    stream.once('error', onError);
    stream.resume();
  });
  let text = Buffer.concat(chunks).toString('utf8');
  if (truncated) text = text.slice(0, text.lastIndexOf('\n') + 1);
  return { text, source: 'stdin', bytesRead: bytes, truncated };
}
