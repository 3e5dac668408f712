/**
 * Parses the two log formats livekit-server (zap) writes: the console format
 * `time\tLEVEL\tlogger\tcaller\tmessage\t{json fields}` and JSON lines (`logging.json: true`).
 * Lines may carry a prefix (docker, kubectl --prefix, journald); it is skipped.
 */
import { UsageError } from '../../core/errors.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'dpanic' | 'panic' | 'fatal';

export interface LogEntry {
  time: Date;
  level: LogLevel;
  /** zap logger name, e.g. `livekit.agents`. */
  logger?: string;
  message: string;
  fields: Record<string, unknown>;
  /** The line as read (not redacted: quote it only through `redact`). */
  raw: string;
  /** 1-based line number in the input. */
  line: number;
}

export interface ParsedServerLog {
  format: 'console' | 'json';
  entries: LogEntry[];
  /** Non-empty lines that were neither format (stack traces, other programs' output). */
  unparsed: number;
}

/**
 * Input that has arrived and is not a livekit-server log (binary data, another program's output): unlike
 * an input that is still empty (stdin that has not delivered yet), waiting for more will not help.
 */
export class NotAServerLogError extends UsageError {
  constructor(message: string) {
    super(message);
    this.name = 'NotAServerLogError';
  }
}

/** Binary, not text: NUL bytes, or many bytes that are not UTF-8 (U+FFFD after decoding) or control characters. */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 64 * 1024);
  if (!sample) return false;
  if (sample.includes('\u0000')) return true;
  let odd = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0xfffd || (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 27)) odd++;
  }
  return odd > sample.length * 0.1;
}

/** Lines longer than this are not log lines (a zap line is at most a few KB); they are not matched against the patterns. */
const MAX_LINE_CHARS = 64 * 1024;

const CONSOLE_LINE =
  /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)\t(DEBUG|INFO|WARN|ERROR|DPANIC|PANIC|FATAL)\t([^\t]*)\t([^\t]*)\t([^\t]*)(?:\t(\{.*\}))?\s*$/;

export function parseServerLog(text: string): ParsedServerLog {
  const entries: LogEntry[] = [];
  let unparsed = 0;
  let jsonCount = 0;
  if (looksBinary(text)) {
    throw new NotAServerLogError(`The server log cannot be read: it is binary data, not text (${text.length} characters arrived); give the livekit-server log as it writes it (a file, or its output piped into -)`);
  }
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (!raw.trim()) continue;
    const entry = raw.length > MAX_LINE_CHARS ? undefined : (parseJsonLine(raw, i + 1) ?? parseConsoleLine(raw, i + 1));
    if (!entry) {
      unparsed++;
      continue;
    }
    if (entry.kind === 'json') jsonCount++;
    entries.push(entry.entry);
  }
  if (entries.length === 0) {
    const some = lines.some((l) => l.trim());
    const what = some ? `none of its ${unparsed} non-empty lines is a livekit-server log line` : 'it is empty';
    throw new (some ? NotAServerLogError : UsageError)(
      `The server log cannot be read: ${what} (expected the console format "2026-01-01T00:00:00.000Z\\tINFO\\tlivekit\\t…" or JSON lines with "ts", "level", "msg").`,
    );
  }
  return { format: jsonCount * 2 >= entries.length ? 'json' : 'console', entries, unparsed };
}

function parseConsoleLine(raw: string, line: number): { kind: 'console'; entry: LogEntry } | undefined {
  const m = CONSOLE_LINE.exec(raw);
  if (!m) return undefined;
  const time = parseTime(m[1]!);
  if (!time) return undefined;
  let fields: Record<string, unknown> = {};
  if (m[6]) {
    try {
      fields = JSON.parse(m[6]) as Record<string, unknown>;
    } catch {
      fields = { _unparsedFields: m[6] };
    }
  }
  return {
    kind: 'console',
    entry: { time, level: m[2]!.toLowerCase() as LogLevel, logger: m[3] || undefined, message: m[5]!, fields, raw, line },
  };
}

function parseJsonLine(raw: string, line: number): { kind: 'json'; entry: LogEntry } | undefined {
  const start = raw.indexOf('{');
  if (start < 0 || !raw.trimEnd().endsWith('}')) return undefined;
  let obj: Record<string, unknown>;
  try {
    obj = JSON.parse(raw.slice(start)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (!obj || typeof obj !== 'object' || typeof obj.msg !== 'string' || typeof obj.level !== 'string') return undefined;
  const time = typeof obj.ts === 'number' ? new Date(obj.ts * 1000) : typeof obj.ts === 'string' ? parseTime(obj.ts) : undefined;
  if (!time || Number.isNaN(time.getTime())) return undefined;
  const { ts: _ts, level, msg, logger, caller: _caller, ...fields } = obj;
  return {
    kind: 'json',
    entry: {
      time,
      level: (level as string).toLowerCase() as LogLevel,
      logger: typeof logger === 'string' ? logger : undefined,
      message: msg as string,
      fields,
      raw,
      line,
    },
  };
}

function parseTime(text: string): Date | undefined {
  // zap writes offsets as +0100; Date wants +01:00.
  const normalised = text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2');
  const time = new Date(normalised);
  return Number.isNaN(time.getTime()) ? undefined : time;
}
