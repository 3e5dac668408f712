import { maskKey } from '../../core/redact.js';
import { hostOf, URL_VARS } from './compare.js';
import type { Component, ComponentEnv } from './load.js';

/** One URL + key + secret triple, and the components that use it. */
export interface CredentialSet {
  url: string;
  apiKey: string;
  apiSecret: string;
  components: Component[];
  /** `agent: /app/.env line 3` per component, for the key. */
  keySources: string[];
}

export interface CredentialInventory {
  sets: CredentialSet[];
  /** Components with some but not all of URL, key and secret. */
  incomplete: { component: Component; missing: string[] }[];
}

/** Groups the components by the exact triple they use, so each project is asked once. */
export function credentialSets(envs: ComponentEnv[]): CredentialInventory {
  const sets: CredentialSet[] = [];
  const incomplete: CredentialInventory['incomplete'] = [];
  for (const env of envs) {
    const url = env.first(URL_VARS);
    const key = env.get('LIVEKIT_API_KEY');
    const secret = env.get('LIVEKIT_API_SECRET');
    const missing = [!url && 'LIVEKIT_URL', !key && 'LIVEKIT_API_KEY', !secret && 'LIVEKIT_API_SECRET'].filter((m): m is string => !!m);
    if (missing.length) {
      if (key || secret) incomplete.push({ component: env.component, missing });
      continue;
    }
    // ws:// and http:// name the same server: group by host, so one project gives one verdict.
    const host = (u: string) => hostOf(u)?.host ?? u;
    const found = sets.find((s) => host(s.url) === host(url!.value) && s.apiKey === key!.value && s.apiSecret === secret!.value);
    const source = `${env.component}: ${key!.file} line ${key!.line}`;
    if (found) {
      found.components.push(env.component);
      found.keySources.push(source);
    } else {
      sets.push({ url: url!.value, apiKey: key!.value, apiSecret: secret!.value, components: [env.component], keySources: [source] });
    }
  }
  return { sets, incomplete };
}

export const describeSet = (s: CredentialSet) => `${s.components.join(' + ')} (key ${maskKey(s.apiKey)} at ${s.url})`;
