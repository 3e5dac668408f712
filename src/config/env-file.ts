import { readFileSync } from 'node:fs';

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
}

const LINE = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/;

/**
 * Parses a .env file the way dotenv and Next.js do: `export` prefixes, comments, single/double/back
 * quotes (double quotes expand \n), inline ` #` comments after unquoted values. A later line for the
 * same key wins, as in dotenv.
 */
export function parseEnvText(text: string, path = '(text)'): EnvFile {
  const entries = new Map<string, EnvEntry>();
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
    entries.set(key, { key, value, line: i + 1, quoted });
  }
  return { path, entries };
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

export function readEnvFile(path: string): EnvFile {
  return parseEnvText(readFileSync(path, 'utf8'), path);
}
