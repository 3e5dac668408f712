import { UsageError } from '../core/errors.js';
import { registerSecret } from '../core/redact.js';
import { parseInterval } from './duration.js';
import { TARGET_NAME } from './labels.js';

/** One project or region the monitor watches, with its values from the environment already filled in. */
export interface TargetSpec {
  name: string;
  url: string;
  apiKey: string;
  apiSecret: string;
  /** Its own interval; without one, `--interval`. */
  intervalMs?: number;
  /** Its own real agent; without one, `--agent` (if given). */
  agent?: string;
}

export interface LoadedTargets {
  targets: TargetSpec[];
  /** One line each, for stderr (e.g. a secret written into the file). */
  warnings: string[];
}

export const MAX_TARGETS = 50;

const FIELDS: Record<string, keyof Omit<TargetSpec, 'intervalMs'> | 'interval'> = {
  name: 'name',
  url: 'url',
  api_key: 'apiKey',
  apiKey: 'apiKey',
  api_secret: 'apiSecret',
  apiSecret: 'apiSecret',
  interval: 'interval',
  agent: 'agent',
};

const REFERENCE = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{([^}]*)\}?/g;

/**
 * `${NAME}` in a value is replaced by the environment variable NAME (`$$` is a literal `$`), so that the file
 * can name every secret without holding one. An unset or empty variable is a usage error naming the variable,
 * never its value.
 */
export function expandReferences(value: string, env: NodeJS.ProcessEnv, where: string): { value: string; referenced: boolean } {
  let referenced = false;
  const out = value.replace(REFERENCE, (whole, name: string | undefined, bad: string | undefined) => {
    if (whole === '$$') return '$';
    if (name === undefined) throw new UsageError(`${where}: "\${${bad ?? ''}" is not a reference; write \${NAME} with letters, digits and _ (or $$ for a literal $)`);
    const v = env[name];
    if (v === undefined || v === '') throw new UsageError(`${where} references \${${name}}, which is ${v === undefined ? 'not set' : 'empty'} in the environment; export it before starting the monitor`);
    referenced = true;
    return v;
  });
  return { value: out, referenced };
}

/** The parsed YAML document (a list of targets, or `{ targets: [...] }`) → validated targets. */
export function parseTargetsDocument(doc: unknown, env: NodeJS.ProcessEnv, file: string): LoadedTargets {
  const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' && 'targets' in doc ? (doc as { targets: unknown }).targets : undefined;
  if (!Array.isArray(list) || list.length === 0) {
    throw new UsageError(`--targets ${file}: expected a list of targets (each with name, url, api_key, api_secret), or "targets:" holding one`);
  }
  if (list.length > MAX_TARGETS) throw new UsageError(`--targets ${file}: ${list.length} targets; at most ${MAX_TARGETS} per monitor (run one monitor per region)`);
  const warnings: string[] = [];
  const names = new Set<string>();
  const targets = list.map((entry, i) => {
    const at = `--targets ${file}: target ${i + 1}`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw new UsageError(`${at} is not a mapping (name: …, url: …)`);
    const raw: Record<string, string> = {};
    let secretFromEnv = false;
    for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
      const field = FIELDS[key];
      if (!field) throw new UsageError(`${at}: unknown key "${key}"; known: name, url, api_key, api_secret, interval, agent`);
      if (typeof value !== 'string' && typeof value !== 'number') throw new UsageError(`${at}: ${key} must be a text value`);
      const expanded = expandReferences(String(value), env, `${at} ${key}`);
      if (field === 'apiSecret') secretFromEnv = expanded.referenced;
      raw[field] = expanded.value;
    }
    const name = raw.name?.trim() ?? '';
    if (!TARGET_NAME.test(name)) throw new UsageError(`${at}: name "${name}" must be 1-63 letters, digits, . _ or - (it becomes the target label)`);
    if (names.has(name)) throw new UsageError(`--targets ${file}: two targets are named "${name}"; names must be unique`);
    names.add(name);
    const where = `--targets ${file}: target "${name}"`;
    for (const field of ['url', 'apiKey', 'apiSecret'] as const) {
      if (!raw[field]?.trim()) throw new UsageError(`${where} has no ${field === 'url' ? 'url' : field === 'apiKey' ? 'api_key' : 'api_secret'}`);
    }
    registerSecret(raw.apiSecret);
    if (!secretFromEnv) warnings.push(`${where}: api_secret is written into the file; reference an environment variable instead, e.g. api_secret: \${LIVEKIT_API_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}}`);
    if (raw.agent !== undefined && !raw.agent.trim()) throw new UsageError(`${where}: agent is empty; give the exact name your worker registers with, or leave it out`);
    const spec: TargetSpec = { name, url: raw.url!.trim(), apiKey: raw.apiKey!, apiSecret: raw.apiSecret! };
    if (raw.interval !== undefined) spec.intervalMs = parseInterval(raw.interval, `${where} interval`);
    if (raw.agent !== undefined) spec.agent = raw.agent;
    return spec;
  });
  return { targets, warnings };
}

/** Reads and parses a targets YAML file (yaml is loaded only here). Unreadable or malformed: usage error. */
export async function loadTargetsFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedTargets> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`--targets ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (code ?? String(err))}`);
  }
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text, { prettyErrors: false });
  const first = doc.errors[0];
  if (first) throw new UsageError(`--targets ${file}: not valid YAML (${first.message.split('\n')[0]})`);
  return parseTargetsDocument(doc.toJS(), env, file);
}
