/**
 * Do the agent, the backend and the frontend talk to the same project, under the same agent name?
 * Pure: a function of the loaded env values. Keys are masked, secrets are never shown.
 */
import { maskKey } from '../../core/redact.js';
import { compareAgentNames, visible } from '../name-diff.js';
import type { Component, ComponentEnv, EnvValue } from './load.js';

export type MismatchKind = 'url-host' | 'url-localhost' | 'api-key' | 'api-secret' | 'agent-name' | 'agent-name-near' | 'deployment';

export interface EnvSide {
  component: Component;
  variable: string;
  /** Safe to print: URL, masked key, visible name, or "(secret, not shown)". */
  shown: string;
  file: string;
  line: number;
}

export interface EnvMismatch {
  kind: MismatchKind;
  message: string;
  sides: EnvSide[];
}

export const URL_VARS = ['LIVEKIT_URL', 'NEXT_PUBLIC_LIVEKIT_URL', 'VITE_LIVEKIT_URL', 'LIVEKIT_WS_URL'];
export const AGENT_NAME_VARS = ['LIVEKIT_AGENT_NAME_OVERRIDE', 'LIVEKIT_AGENT_NAME', 'AGENT_NAME', 'NEXT_PUBLIC_LIVEKIT_AGENT_NAME', 'NEXT_PUBLIC_AGENT_NAME'];
const LOCAL_HOSTS = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1|0\.0\.0\.0)$/i;

export interface ParsedHost {
  host: string;
  local: boolean;
}

/** ws/http and wss/https address the same server: compare host and effective port. */
export function hostOf(url: string): ParsedHost | undefined {
  try {
    const u = new URL(url.trim());
    const secure = u.protocol === 'wss:' || u.protocol === 'https:';
    const port = u.port || (secure ? '443' : '80');
    return { host: `${u.hostname.toLowerCase()}:${port}`, local: LOCAL_HOSTS.test(u.hostname) };
  } catch {
    return undefined;
  }
}

const side = (component: Component, v: EnvValue, shown: string): EnvSide => ({ component, variable: v.variable, shown, file: v.file, line: v.line });
const where = (s: EnvSide) => `${s.component} ${s.variable}=${s.shown} (${s.file} line ${s.line})`;

function urlSides(envs: ComponentEnv[]): EnvSide[] {
  const sides: EnvSide[] = [];
  for (const env of envs) {
    for (const variable of URL_VARS) {
      const v = env.get(variable);
      if (v) sides.push(side(env.component, v, v.value));
    }
  }
  return sides;
}

function compareUrls(envs: ComponentEnv[]): EnvMismatch[] {
  const sides = urlSides(envs);
  const parsed = sides.map((s) => ({ s, h: hostOf(s.shown) })).filter((x): x is { s: EnvSide; h: ParsedHost } => !!x.h);
  const hosts = new Set(parsed.map((x) => x.h.host));
  if (hosts.size < 2) return [];
  const local = parsed.filter((x) => x.h.local);
  const remote = parsed.filter((x) => !x.h.local);
  if (local.length && remote.length) {
    return [{
      kind: 'url-localhost',
      message: `${local.map((x) => x.s.component).join(', ')} point${local.length === 1 ? 's' : ''} at a local server (${local[0]!.s.shown}) while ${remote.map((x) => x.s.component).join(', ')} use${remote.length === 1 ? 's' : ''} ${remote[0]!.h.host}: they are on different servers`,
      sides: parsed.map((x) => x.s),
    }];
  }
  return [{ kind: 'url-host', message: `the LiveKit URL hosts differ (${[...hosts].join(' vs ')}): the components talk to different servers or projects`, sides: parsed.map((x) => x.s) }];
}

function compareKeys(envs: ComponentEnv[]): EnvMismatch[] {
  const keyed = envs.flatMap((env) => {
    const key = env.get('LIVEKIT_API_KEY');
    return key ? [{ env, key }] : [];
  });
  const keys = new Set(keyed.map((k) => k.key.value));
  const out: EnvMismatch[] = [];
  if (keys.size > 1) {
    const masks = new Set(keyed.map((k) => maskKey(k.key.value)));
    const note = masks.size < keys.size ? ' (the keys differ after the characters shown)' : '';
    out.push({
      kind: 'api-key',
      message: `the API keys differ${note}: each key belongs to one project, so these components use different projects (or different keys of one project)`,
      sides: keyed.map((k) => side(k.env.component, k.key, maskKey(k.key.value))),
    });
    return out;
  }
  // Same key, different secrets: one of them is stale or mistyped.
  const withSecret = envs.flatMap((env) => {
    const s = env.get('LIVEKIT_API_SECRET');
    return s ? [{ env, s }] : [];
  });
  if (keys.size === 1 && new Set(withSecret.map((x) => x.s.value)).size > 1) {
    out.push({
      kind: 'api-secret',
      message: `the components use the same API key ${maskKey([...keys][0])} but different secrets: at most one of them is right`,
      sides: withSecret.map((x) => side(x.env.component, x.s, '(secret, not shown)')),
    });
  }
  return out;
}

function compareNames(envs: ComponentEnv[], variables: string[], kindFar: MismatchKind, what: string): EnvMismatch[] {
  const named = envs.flatMap((env) => {
    const v = env.first(variables);
    return v ? [{ env, v }] : [];
  });
  if (named.length < 2) return [];
  // The agent's own name is the reference: it is what the worker registers with.
  const ref = named.find((n) => n.env.component === 'agent') ?? named[0]!;
  const out: EnvMismatch[] = [];
  for (const other of named) {
    if (other === ref) continue;
    const cmp = compareAgentNames(other.v.value, ref.v.value);
    if (cmp.equal) continue;
    const kind: MismatchKind = kindFar === 'agent-name' && cmp.likelySame ? 'agent-name-near' : kindFar;
    // name-diff speaks of "expected" and "registered": here they are two components.
    const said = cmp.differences.map((d) => d.replace(/^expected name/, `${other.env.component}'s name`).replace(/^registered name/, `${ref.env.component}'s name`));
    const how = cmp.likelySame ? `differ only in case or spacing: ${said.join('; ')}` : `differ: ${said.join('; ')}`;
    out.push({
      kind,
      message: `the ${what} in ${other.env.component} and ${ref.env.component} ${how}; the server matches names byte for byte`,
      sides: [side(other.env.component, other.v, visible(other.v.value)), side(ref.env.component, ref.v, visible(ref.v.value))],
    });
  }
  return out;
}

export function compareComponents(envs: ComponentEnv[]): EnvMismatch[] {
  return [
    ...compareUrls(envs),
    ...compareKeys(envs),
    ...compareNames(envs, AGENT_NAME_VARS, 'agent-name', 'agent names'),
    ...compareNames(envs, ['LIVEKIT_AGENT_DEPLOYMENT'], 'deployment', 'agent deployments'),
  ];
}

export function describeMismatch(m: EnvMismatch): string[] {
  return [m.message, ...m.sides.map((s) => `  ${where(s)}`)];
}
