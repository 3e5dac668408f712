/**
 * URL forms of one LiveKit server. Users paste any of ws://, wss://, http://, https://, with or
 * without a path prefix (a reverse proxy at `/lk`), a trailing slash, even a query string.
 */
const TO_WS: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' };
const TO_HTTP: Record<string, string> = { 'ws:': 'http:', 'wss:': 'https:', 'http:': 'http:', 'https:': 'https:' };

function withScheme(url: string, table: Record<string, string>): URL {
  const parsed = new URL(url.trim());
  const scheme = table[parsed.protocol];
  if (!scheme) throw new TypeError(`unsupported URL scheme "${parsed.protocol}" (use ws://, wss://, http:// or https://)`);
  // URL refuses to switch between "special" and other schemes via the setter, so rebuild instead.
  const rebuilt = new URL(`${scheme}//${parsed.host}${parsed.pathname}`);
  return rebuilt;
}

/** Path without trailing slashes and with runs of slashes collapsed (`/lk//` → `/lk`, `/` → ``). */
function cleanPath(pathname: string): string {
  return pathname.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
}

function format(url: URL): string {
  return `${url.protocol}//${url.host}${cleanPath(url.pathname)}`;
}

/** The ws(s):// form, query and hash dropped, no trailing slash. */
export function toWsUrl(url: string): string {
  return format(withScheme(url, TO_WS));
}

/** The http(s):// form, query and hash dropped, no trailing slash. */
export function toHttpUrl(url: string): string {
  return format(withScheme(url, TO_HTTP));
}

/**
 * The agent worker socket: `<server>/agent`, keeping a path prefix (`wss://h/lk` → `wss://h/lk/agent`).
 * The server routes exactly `/agent` (no trailing slash), so none is added.
 */
export function agentSocketUrl(url: string): string {
  return `${toWsUrl(url)}/agent`;
}
