import { UsageError } from '../core/errors.js';
import type { GlobalOptions } from './types.js';
import { collectSources, resolveField, duplicateProblems, FIELDS, type SettingSources } from './resolve.js';
import { validateConnectionSettings } from './validate.js';
import { registerSecret } from '../core/redact.js';
import { toHttpUrl, toWsUrl } from '../core/urls.js';
import type { Connection, ResolvedSettings, Sourced } from './types.js';

export interface LoadedSettings {
  settings: ResolvedSettings;
  sources: SettingSources;
  /** Present when there is no error-level problem. */
  connection?: Connection;
}

/** Resolves every setting with its provenance and validates it; never throws for bad values, only for unreadable sources. */
export async function resolveSettings(opts: GlobalOptions, extraFlags: Record<string, string | undefined> = {}): Promise<LoadedSettings> {
  const flags = { url: opts.url, apiKey: opts.apiKey, apiSecret: opts.apiSecret, ...extraFlags };
  const sources = await collectSources(flags, { envFile: opts.envFile, project: opts.project });
  const url = resolveField(sources, FIELDS.url);
  const apiKey = resolveField(sources, FIELDS.apiKey);
  const apiSecret = resolveField(sources, FIELDS.apiSecret);
  registerSecret(apiSecret?.value);
  const timeoutRaw = opts.timeout ?? '10';
  const problems = validateConnectionSettings({
    url,
    apiKey,
    apiSecret,
    timeoutSeconds: { value: timeoutRaw, from: 'flag --timeout' },
  });
  problems.push(...duplicateProblems(sources.envFiles));
  const timeoutMs = Math.round(Number(timeoutRaw) * 1000) || 10_000;
  const settings: ResolvedSettings = { url, apiKey, apiSecret, timeoutMs, filesRead: sources.filesRead, problems };
  const connection = problems.some((p) => p.severity === 'error') ? undefined : toConnection(url!, apiKey!, apiSecret!, timeoutMs);
  return { settings, sources, connection };
}

/** For commands that need a server: the connection, or a usage error listing each problem on its own line. */
export async function loadConnection(opts: GlobalOptions): Promise<{ settings: ResolvedSettings; connection: Connection }> {
  const { settings, connection } = await resolveSettings(opts);
  if (!connection) {
    const lines = settings.problems.filter((p) => p.severity === 'error').map((p) => p.message);
    throw new UsageError(lines.join('\nlivekit-doctor: '));
  }
  for (const p of settings.problems) if (p.severity === 'warning') process.stderr.write(`livekit-doctor: warning: ${p.message}\n`);
  return { settings, connection };
}

export function toConnection(url: Sourced<string>, apiKey: Sourced<string>, apiSecret: Sourced<string>, timeoutMs: number): Connection {
  return {
    url: url.value.trim().replace(/\/+$/, ''),
    httpUrl: toHttpUrl(url.value),
    wsUrl: toWsUrl(url.value),
    apiKey: apiKey.value,
    apiSecret: apiSecret.value,
    timeoutMs,
  };
}

export { maskKey } from '../core/redact.js';
