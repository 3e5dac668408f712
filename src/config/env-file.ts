import { readFileSync, statSync } from 'node:fs';
import { UsageError } from '../core/errors.js';

export interface EnvEntry {
  key: string;
  /** The value after dotenv-style unquoting. */
  value: string;
  /** 1-based line number. */
  line: number;
  /** Whether the value was wrapped in quotes in the file. */
  quoted: boolean;
}

export interface EnvFile {
  path: string;
  entries: Map<string, EnvEntry>;
  /** Keys set on more than one line (1-based line numbers, in file order): the last one wins here, as in dotenv. */
  duplicates: Map<string, number[]>;
}

/** An env file is a few hundred bytes; anything far larger is not one (and must not be read whole). */
export const MAX_ENV_FILE_BYTES = 1024 * 1024;

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

/**
 * Parses a .env file the way dotenv and Next.js do: `export` prefixes, comments, single/double/back
 * quotes (double quotes expand \n), inline ` #` comments after unquoted values. A later line for the
 * same key wins, as in dotenv.
 */
export function parseEnvText(text: string, path = '(text)'): EnvFile {
  const entries = new Map<string, EnvEntry>();
  const duplicates = new Map<string, number[]>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (/^\s*(#|$)/.test(raw)) continue;
    const m = LINE.exec(raw);
    if (!m) continue;
    const key = m[1]!;
    let rest = m[2]!;
    let value: string;
    let quoted = false;
    const q = rest[0];
    if (q === '"' || q === "'" || q === '`') {
      // A quoted value may span lines until the closing quote.
      let body = rest.slice(1);
      let end = findClosingQuote(body, q);
      while (end < 0 && i + 1 < lines.length) {
        i++;
        body += `\n${lines[i]}`;
        end = findClosingQuote(body, q);
      }
      value = end < 0 ? body : body.slice(0, end);
      if (q === '"') value = value.replace(/\\n/g, '\n').replace(/\\r/g, '\r').replace(/\\"/g, '"');
      quoted = true;
    } else {
      const hash = rest.search(/\s#/);
      if (hash >= 0) rest = rest.slice(0, hash);
      value = rest.trim();
    }
    const earlier = entries.get(key);
    if (earlier) duplicates.set(key, [...(duplicates.get(key) ?? [earlier.line]), i + 1]);
    entries.set(key, { key, value, line: i + 1, quoted });
  }
  return { path, entries, duplicates };
}

function findClosingQuote(body: string, quote: string): number {
  for (let j = 0; j < body.length; j++) {
    if (body[j] === '\\' && quote === '"') {
      j++;
      continue;
    }
    if (body[j] === quote) return j;
  }
  return -1;
}

/** Reads and parses an env file; anything that makes it unreadable is one UsageError line (exit 2), never another throw. */
export function readEnvFile(path: string, shownAs = path): EnvFile {
  let text: string;
  try {
    const info = statSync(path);
    if (info.isDirectory()) throw new UsageError(`env file ${shownAs} is a directory, not a file; give the path of the .env file`);
    if (!info.isFile()) throw new UsageError(`env file ${shownAs} is not a regular file; give the path of the .env file`);
    if (info.size > MAX_ENV_FILE_BYTES) throw new UsageError(`env file ${shownAs} is ${Math.round(info.size / 1024)} KB: not an env file (at most ${MAX_ENV_FILE_BYTES / 1024} KB)`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? (err as Error).message})`;
    throw new UsageError(`env file ${shownAs} ${why}; check the path or drop the flag`);
  }
  if (text.includes('\u0000')) throw new UsageError(`env file ${shownAs} holds binary data, not KEY=value lines`);
  return parseEnvText(text, path);
}
