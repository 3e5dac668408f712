import { UsageError } from '../../core/errors.js';
import { registerSecret } from '../../core/redact.js';
import { cleanTokenInput, TokenFormatError } from '../../livekit/token-inspect.js';
import { missingEnvFiles } from '../../evidence/component-env/load.js';
import type { CheckOptions } from '../../doctor.js';
import type { AppCheckFlags } from './options.js';

function parseTime(text: string): number {
  const n = Number(text);
  // Unix seconds or milliseconds, or anything Date.parse reads (ISO 8601).
  const ms = Number.isFinite(n) ? (n < 1e12 ? n * 1000 : n) : Date.parse(text);
  if (!Number.isFinite(ms) || ms <= 0) throw new UsageError(`--dispatched-at "${text}" is not a time: use ISO 8601 (2025-01-31T12:00:00Z) or Unix seconds/ms`);
  return ms;
}

/** Validates the flags (usage errors exit 2 before anything runs) and maps them to CheckOptions. */
export function appCheckOptions(f: AppCheckFlags): Partial<CheckOptions> {
  if (f.tokenEndpointBody !== undefined) {
    if (!f.tokenEndpoint) throw new UsageError('--token-endpoint-body needs --token-endpoint <url>');
    try {
      JSON.parse(f.tokenEndpointBody);
    } catch {
      throw new UsageError('--token-endpoint-body is not valid JSON');
    }
  }
  if (f.tokenEndpoint && !/^https?:\/\/[^/]/.test(f.tokenEndpoint)) throw new UsageError(`--token-endpoint "${f.tokenEndpoint}" is not an http(s) URL`);
  if (f.tokenEndpoint && f.token) throw new UsageError('--token and --token-endpoint exclude each other: give the token, or the endpoint that hands it out');
  let token: string | undefined;
  if (f.token !== undefined) {
    try {
      token = cleanTokenInput(f.token);
    } catch (err) {
      throw new UsageError(`--token: ${err instanceof TokenFormatError ? err.message : String(err)}`);
    }
    registerSecret(token);
  }
  const missing = missingEnvFiles([f.agentEnv, f.backendEnv, f.frontendEnv]);
  if (missing.length) throw new UsageError(`env file${missing.length > 1 ? 's' : ''} not found: ${missing.join(', ')} (from --agent-env/--backend-env/--frontend-env); check the path`);
  if (f.dispatchRoom && !f.room) throw new UsageError('--dispatch-room needs --room <the room the user is in>');
  if (f.dispatchedAt && !f.room) throw new UsageError('--dispatched-at needs --room <the room the user is in>');
  const out: Partial<CheckOptions> = {
    tokenEndpoint: f.tokenEndpoint,
    tokenEndpointBody: f.tokenEndpointBody,
    token,
    agentEnv: f.agentEnv,
    backendEnv: f.backendEnv,
    frontendEnv: f.frontendEnv,
    room: f.room,
    dispatchRoom: f.dispatchRoom,
    dispatchedAtMs: f.dispatchedAt ? parseTime(f.dispatchedAt) : undefined,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}
