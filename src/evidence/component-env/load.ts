import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { readEnvFile, type EnvFile } from '../../config/env-file.js';
import { registerSecret } from '../../core/redact.js';

export type Component = 'agent' | 'backend' | 'frontend';

export interface EnvValue {
  variable: string;
  value: string;
  file: string;
  line: number;
}

/** One component's settings, merged from its env file and the files that override it. */
export interface ComponentEnv {
  component: Component;
  /** Highest precedence first. */
  files: string[];
  get(variable: string): EnvValue | undefined;
  /** The first of these variables that is set (non-empty). */
  first(variables: string[]): EnvValue | undefined;
}

/**
 * The files that apply when a component reads `path`, highest precedence first (Next.js / dotenv-flow):
 * `.env` → `.env.local`, `.env`; `.env.production` → `.env.production.local`, `.env.local`, `.env.production`, `.env`.
 * Only `path` itself must exist.
 */
export function companionFiles(path: string): string[] {
  const dir = dirname(path);
  const name = basename(path);
  const mode = /^\.env\.([^.]+)$/.exec(name)?.[1];
  const candidates =
    name === '.env' ? ['.env.local', '.env'] : mode && mode !== 'local' ? [`.env.${mode}.local`, '.env.local', name, '.env'] : [name];
  const given = join(dir, name);
  return [...new Set(candidates.map((n) => join(dir, n)))].filter((p) => p === given || existsSync(p));
}

export function missingEnvFiles(paths: (string | undefined)[], cwd = process.cwd()): string[] {
  return paths.filter((p): p is string => !!p && !existsSync(resolve(cwd, p)));
}

export function loadComponentEnv(component: Component, path: string, cwd = process.cwd()): ComponentEnv {
  const files = companionFiles(resolve(cwd, path));
  const parsed: EnvFile[] = files.map((f) => readEnvFile(f));
  for (const f of parsed) registerSecret(f.entries.get('LIVEKIT_API_SECRET')?.value);
  const get = (variable: string): EnvValue | undefined => {
    for (const f of parsed) {
      const e = f.entries.get(variable);
      if (e && e.value !== '') return { variable, value: e.value, file: f.path, line: e.line };
    }
    return undefined;
  };
  return { component, files, get, first: (vars) => vars.map(get).find((v) => v !== undefined) };
}
