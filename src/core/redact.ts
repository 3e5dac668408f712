/**
 * Secrets never leave: every text that goes to a terminal, a file or a bundle passes through here.
 * The server echoes whole tokens in 401 bodies (`invalid token: <jwt>, error: …`), so JWT-shaped
 * strings are removed wherever they appear, not only the ones the doctor minted.
 */
const JWT_PATTERN = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g;
// Each pattern skips a value that is already `[redacted]`, so redacting twice changes nothing.
const BEARER_PATTERN = /\b(Bearer)\s+(?!\[)[A-Za-z0-9._~+/=-]+/gi;
const AUTH_HEADER_PATTERN = /("?authorization"?\s*[:=]\s*"?)(?!\[|Bearer \[)([^"\s,}<\\]+(?:\s+(?!\[)[^"\s,}<\\]+)?)/gi;
const TOKEN_PARAM_PATTERN = /\b(access_token|token|worker_token)=(?!\[)([^&\s"'<\\]+)/gi;

export const REDACTED = '[redacted]';
export const JWT_REDACTED = '[jwt redacted]';

const knownSecrets = new Set<string>();

/** Remembers a secret so that every later `redact` call removes it. Short values are ignored. */
export function registerSecret(secret: string | undefined): void {
  if (!secret) return;
  const trimmed = secret.trim();
  if (trimmed.length >= 4) knownSecrets.add(trimmed);
  if (secret.length >= 4) knownSecrets.add(secret);
}

/** Removes known secrets, JWTs, bearer values and token query parameters from a text. */
export function redact(text: string, extraSecrets: string[] = []): string {
  let out = text;
  for (const s of [...knownSecrets, ...extraSecrets]) {
    if (s && s.length >= 4) out = out.split(s).join(REDACTED);
  }
  out = out.replace(JWT_PATTERN, JWT_REDACTED);
  out = out.replace(BEARER_PATTERN, `$1 ${REDACTED}`);
  out = out.replace(AUTH_HEADER_PATTERN, (_m, head: string) => `${head}${REDACTED}`);
  out = out.replace(TOKEN_PARAM_PATTERN, `$1=${REDACTED}`);
  return out;
}

/** Applies `redact` to every string inside a JSON-like value (keys named like secrets are dropped). */
export function redactDeep<T>(value: T): T {
  return walk(value) as T;
}

const SECRET_KEYS = /^(api_?secret|secret|token|jwt|authorization|participant_?token|access_?token|password)$/i;

function walk(value: unknown): unknown {
  if (typeof value === 'string') return redact(value);
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(walk);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEYS.test(k) && typeof v === 'string') out[k] = v ? REDACTED : v;
      else out[k] = walk(v);
    }
    return out;
  }
  return value;
}

/** An API key as shown to users: its first 4 characters. */
export function maskKey(key: string | undefined): string {
  if (!key) return '(not set)';
  if (key.length <= 4) return `${key[0] ?? ''}…`;
  return `${key.slice(0, 4)}…`;
}
