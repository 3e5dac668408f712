import { readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';

/** One project from the lk CLI's store (`lk project add`). */
export interface LkProject {
  name: string;
  url?: string;
  apiKey?: string;
  apiSecret?: string;
}

export interface LkConfig {
  path: string;
  defaultProject?: string;
  projects: LkProject[];
}

export function lkConfigPath(home = homedir()): string {
  return join(home, '.livekit', 'cli-config.yaml');
}

/** Reads ~/.livekit/cli-config.yaml; undefined when it does not exist. */
export async function readLkConfig(path = lkConfigPath()): Promise<LkConfig | undefined> {
  if (!existsSync(path)) return undefined;
  const { parse } = await import('yaml');
  let doc: unknown;
  try {
    // Warnings (unresolved tags…) would go to stderr unasked: only errors count.
    doc = parse(readFileSync(path, 'utf8'), { logLevel: 'error' });
  } catch (err) {
    throw new UsageError(
      `cannot read the lk CLI config ${path}: ${String((err as Error)?.message ?? err).split('\n')[0]}; fix the YAML or pass --url/--api-key/--api-secret`,
    );
  }
  const root = (doc ?? {}) as { default_project?: unknown; projects?: unknown };
  const list = Array.isArray(root.projects) ? root.projects : [];
  return {
    path,
    defaultProject: typeof root.default_project === 'string' && root.default_project ? root.default_project : undefined,
    projects: list
      .filter((p): p is Record<string, unknown> => !!p && typeof p === 'object')
      .map((p) => ({
        name: String(p.name ?? ''),
        url: optionalString(p.url),
        apiKey: optionalString(p.api_key),
        apiSecret: optionalString(p.api_secret),
      })),
  };
}

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
