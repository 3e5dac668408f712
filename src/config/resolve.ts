import { existsSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { UsageError } from '../core/errors.js';
import { readEnvFile, type EnvFile } from './env-file.js';
import { readLkConfig, lkConfigPath, type LkProject } from './lk-config.js';
import type { Provenance, Sourced } from './types.js';

/** Where each setting can come from, highest precedence first: flags > environment > env files > lk project. */
export interface SettingSources {
  flags: Record<string, string | undefined>;
  env: Record<string, string | undefined>;
  envFiles: EnvFile[];
  lkProject?: { project: LkProject; path: string; chosenBy: 'flag' | 'default' };
  filesRead: string[];
}

export interface SourceOptions {
  /** Explicit --env-file paths; `false` for --no-env-file; undefined for the defaults. */
  envFile?: string[] | false;
  project?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

/** Reads the env files and the lk project; a named file that is missing is a usage error. */
export async function collectSources(flags: Record<string, string | undefined>, opts: SourceOptions = {}): Promise<SettingSources> {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const envFiles: EnvFile[] = [];
  const filesRead: string[] = [];
  if (Array.isArray(opts.envFile)) {
    for (const p of opts.envFile) {
      const full = resolvePath(cwd, p);
      if (!existsSync(full)) throw new UsageError(`env file ${p} (from --env-file) does not exist; check the path or drop the flag`);
      envFiles.push(readEnvFile(full, `${p} (from --env-file)`));
      filesRead.push(full);
    }
  } else if (opts.envFile !== false) {
    // Next.js order: .env.local overrides .env.
    for (const name of ['.env.local', '.env']) {
      const full = resolvePath(cwd, name);
      if (existsSync(full)) {
        envFiles.push(readEnvFile(full));
        filesRead.push(full);
      }
    }
  }
  let lkProject: SettingSources['lkProject'];
  const lkPath = opts.home ? lkConfigPath(opts.home) : lkConfigPath();
  const lk = await readLkConfig(lkPath);
  if (opts.project) {
    const project = lk?.projects.find((p) => p.name === opts.project);
    if (!project) {
      const known = lk?.projects.map((p) => p.name).join(', ');
      throw new UsageError(
        lk
          ? `lk project "${opts.project}" (from --project) is not in ${lkPath}; known projects: ${known || 'none'}`
          : `lk project "${opts.project}" (from --project) cannot be used: ${lkPath} does not exist; add it with \`lk project add\` or pass --url/--api-key/--api-secret`,
      );
    }
    lkProject = { project, path: lkPath, chosenBy: 'flag' };
    filesRead.push(lkPath);
  } else if (lk?.defaultProject) {
    const project = lk.projects.find((p) => p.name === lk.defaultProject);
    if (project) {
      lkProject = { project, path: lkPath, chosenBy: 'default' };
      filesRead.push(lkPath);
    }
  }
  return { flags, env: { ...env }, envFiles, lkProject, filesRead };
}

export interface FieldSpec {
  /** The commander flag, e.g. `--url`. */
  flag?: string;
  /** The key in `flags`. */
  flagKey?: string;
  /** Environment / env-file variable names, first wins. */
  envNames: string[];
  /** The lk project field. */
  lkField?: keyof Omit<LkProject, 'name'>;
}

/** The highest-precedence value of one setting, and where it came from. */
export function resolveField(sources: SettingSources, spec: FieldSpec): Sourced<string> | undefined {
  const flagValue = spec.flagKey ? sources.flags[spec.flagKey] : undefined;
  if (flagValue !== undefined) return { value: flagValue, from: { kind: 'flag', detail: `flag ${spec.flag}` } };
  for (const name of spec.envNames) {
    const v = sources.env[name];
    if (v !== undefined && v !== '') return { value: v, from: { kind: 'env', detail: `env ${name}` } };
  }
  for (const file of sources.envFiles) {
    for (const name of spec.envNames) {
      const entry = file.entries.get(name);
      if (entry && entry.value !== '') {
        return { value: entry.value, from: { kind: 'env-file', detail: `${name} in ${file.path} line ${entry.line}` } };
      }
    }
  }
  if (spec.lkField && sources.lkProject) {
    const v = sources.lkProject.project[spec.lkField];
    if (v) {
      const { project, path, chosenBy } = sources.lkProject;
      const how = chosenBy === 'flag' ? 'from --project' : 'the default project';
      return { value: v, from: { kind: 'lk-project', detail: `lk project "${project.name}" (${how}, ${path})` } };
    }
  }
  return undefined;
}

export const FIELDS = {
  url: { flag: '--url', flagKey: 'url', envNames: ['LIVEKIT_URL'], lkField: 'url' },
  apiKey: { flag: '--api-key', flagKey: 'apiKey', envNames: ['LIVEKIT_API_KEY'], lkField: 'apiKey' },
  apiSecret: { flag: '--api-secret', flagKey: 'apiSecret', envNames: ['LIVEKIT_API_SECRET'], lkField: 'apiSecret' },
  agentName: { flag: '--agent', flagKey: 'agent', envNames: ['LIVEKIT_AGENT_NAME'] },
} satisfies Record<string, FieldSpec>;

/** The doctor's own variables set twice in one env file: the doctor (like dotenv) takes the last line; the app's loader may not. */
export function duplicateProblems(envFiles: readonly EnvFile[]): { field: string; severity: 'warning'; message: string }[] {
  const watched = new Set(Object.values(FIELDS).flatMap((f) => f.envNames));
  const out: { field: string; severity: 'warning'; message: string }[] = [];
  for (const file of envFiles) {
    for (const [key, lines] of file.duplicates) {
      if (!watched.has(key)) continue;
      const used = lines[lines.length - 1];
      out.push({
        field: key,
        severity: 'warning',
        message: `${key} is set ${lines.length} times in ${file.path} (lines ${lines.join(', ')}): the doctor uses line ${used} (the last, as dotenv does), but your app's own loader may take another one; keep one line`,
      });
    }
  }
  return out;
}

export function describeSource(from: Provenance): string {
  return from.detail;
}
