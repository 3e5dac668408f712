import type { ConfigProblem, Sourced } from './types.js';

/** Hosts of LiveKit Cloud: they serve only TLS. */
const CLOUD_HOST = /\.livekit\.cloud$/i;

/**
 * What is wrong with a LiveKit URL, one message per problem. Plain rules rather than a schema library: each
 * rule is a custom message, and zod cost ~60 ms of start-up on every run for nothing but that wrapper.
 */
function urlProblems(raw: string): string[] {
  const problems: string[] = [];
  const value = raw.trim();
  if (value !== raw) problems.push('has spaces around it; remove them');
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return [...problems, `has no scheme; write wss://${value.replace(/^\/+/, '')}`];
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return [...problems, 'is not a valid URL'];
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol)) {
    problems.push(`has the scheme ${url.protocol}//; use wss:// (or ws:// for a local server)`);
  }
  if ((url.protocol === 'http:' || url.protocol === 'ws:') && CLOUD_HOST.test(url.hostname)) {
    problems.push(`uses ${url.protocol}// for a LiveKit Cloud host, which serves only TLS; use wss://${url.host}`);
  }
  if (url.search || url.hash) {
    problems.push(`has a query or fragment (${url.search}${url.hash}); use only scheme and host, e.g. ${url.protocol}//${url.host}`);
  }
  if (url.username || url.password) problems.push('contains credentials; pass them as --api-key/--api-secret');
  const hostProblem = hostNameProblem(url.hostname);
  if (hostProblem) problems.push(hostProblem);
  return problems;
}

/** DNS limits (RFC 1035): a label of at most 63 characters, a name of at most 253; resolvers refuse longer ones (getaddrinfo EINVAL). */
export function hostNameProblem(hostname: string): string | undefined {
  if (hostname.startsWith('[') || /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname)) return undefined;
  const long = hostname.split('.').find((label) => label.length > 63);
  if (long) return `has a host name part of ${long.length} characters (${long.slice(0, 12)}…); a DNS name part has at most 63, so it cannot resolve: check the URL`;
  if (hostname.length > 253) return `has a host name of ${hostname.length} characters; a DNS name has at most 253, so it cannot resolve: check the URL`;
  return undefined;
}

/** What is wrong with an API key or secret as typed: the copy-paste damage .env files and shells do. */
function credentialProblems(value: string): string[] {
  if (value.trim() === '') {
    return [value === '' ? 'is empty; give the real value (an empty flag or variable does not fall back to another source)' : 'is only whitespace; give the real value'];
  }
  const problems: string[] = [];
  if (value.trim() !== value) problems.push('has whitespace around it (common in .env files); remove it');
  if (/^["'`].*["'`]$/s.test(value.trim()) && value.trim().length >= 2) {
    problems.push('is wrapped in quotes that became part of the value; remove the inner quotes');
  }
  return problems;
}

/** A LiveKit API key is short (`API` + ~12 chars); a secret is long (~43 chars). */
const looksLikeSecret = (v: string) => v.length >= 30 && !/^API/.test(v);
const looksLikeKey = (v: string) => /^API[A-Za-z0-9]{6,20}$/.test(v);

export function validateConnectionSettings(s: {
  url?: Sourced<string>;
  apiKey?: Sourced<string>;
  apiSecret?: Sourced<string>;
  timeoutSeconds: { value: string; from: string };
}): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const missing = (field: string, what: string, how: string) =>
    problems.push({ field, severity: 'error', message: `no ${what} is set; ${how}` });

  if (!s.url) missing('url', 'LiveKit URL', 'pass --url wss://<host>, set LIVEKIT_URL, add it to .env, or use --project');
  else addIssues(problems, 'url', 'URL', s.url, urlProblems, true);

  if (!s.apiKey) missing('apiKey', 'API key', 'pass --api-key, set LIVEKIT_API_KEY, add it to .env, or use --project');
  else addIssues(problems, 'apiKey', 'API key', s.apiKey, credentialProblems, false);

  if (!s.apiSecret) {
    const keyFrom = s.apiKey ? ` (the API key came from ${s.apiKey.from.detail})` : '';
    missing('apiSecret', 'API secret', `pass --api-secret, set LIVEKIT_API_SECRET, or add it next to the key${keyFrom}`);
  } else addIssues(problems, 'apiSecret', 'API secret', s.apiSecret, credentialProblems, false);

  if (s.apiKey && s.apiSecret) {
    const key = s.apiKey.value.trim();
    const secret = s.apiSecret.value.trim();
    if (key === secret) {
      problems.push({ field: 'apiSecret', severity: 'error', message: `the API key and the API secret are the same value (key from ${s.apiKey.from.detail}, secret from ${s.apiSecret.from.detail}); set the secret that belongs to the key` });
    } else if (looksLikeSecret(key) && looksLikeKey(secret)) {
      problems.push({ field: 'apiKey', severity: 'error', message: `the API key and secret look swapped (key from ${s.apiKey.from.detail} is ${key.length} chars, secret from ${s.apiSecret.from.detail} starts with API); exchange them` });
    } else {
      if (looksLikeSecret(key)) problems.push({ field: 'apiKey', severity: 'warning', message: `the API key from ${s.apiKey.from.detail} looks like a secret (${key.length} chars); LiveKit keys look like APIxxxxxxxxxxxx` });
      if (looksLikeKey(secret)) problems.push({ field: 'apiSecret', severity: 'warning', message: `the API secret from ${s.apiSecret.from.detail} looks like an API key (starts with API); check that it is the secret` });
    }
  }

  const seconds = Number(s.timeoutSeconds.value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 600) {
    problems.push({ field: 'timeout', severity: 'error', message: `timeout "${s.timeoutSeconds.value}" (from ${s.timeoutSeconds.from}) is not a number of seconds between 0 and 600` });
  }

  const fileSources = [s.url, s.apiKey, s.apiSecret].filter((x): x is Sourced<string> => !!x);
  const details = new Set(fileSources.map((x) => sourceGroup(x.from.detail)));
  if (fileSources.length === 3 && details.size > 1 && fileSources.some((x) => x.from.kind === 'env-file' || x.from.kind === 'lk-project')) {
    problems.push({
      field: 'url',
      severity: 'warning',
      message: `URL, key and secret come from different places (${fileSources.map((x) => x.from.detail).join('; ')}); make sure they belong to the same project`,
    });
  }
  return problems;
}

/** Settings from one file, or from flags/env, count as one place. */
function sourceGroup(detail: string): string {
  const m = / in (.+) line \d+$/.exec(detail);
  if (m) return m[1]!;
  if (detail.startsWith('lk project')) return detail;
  return detail.startsWith('flag') ? 'flags' : 'env';
}

function addIssues(problems: ConfigProblem[], field: string, what: string, s: Sourced<string>, check: (value: string) => string[], showValue: boolean): void {
  const shown = showValue ? ` "${s.value}"` : '';
  for (const message of check(s.value)) problems.push({ field, severity: 'error', message: `the ${what}${shown} from ${s.from.detail} ${message}` });
}
