import { redact } from '../core/redact.js';

/** Causes a user can act on. Every failure of a server call or the worker socket maps to one. */
export type FailureCause =
  | 'unknown-api-key'
  | 'bad-signature'
  | 'clock-skew'
  | 'permission-denied'
  | 'unauthenticated'
  | 'connection-refused'
  | 'connection-reset'
  | 'dns-failure'
  | 'tls-failure'
  | 'timeout'
  | 'server-error'
  | 'room-not-found'
  | 'room-not-live'
  | 'not-found'
  | 'bad-request'
  | 'bad-url'
  | 'unknown';

export interface ClassifiedFailure {
  cause: FailureCause;
  /** One line, redacted: what happened. */
  message: string;
  /** One line: what to do. */
  fix: string;
  status?: number;
  /** Credentials problems are configuration errors (exit 2); the rest are failures (exit 1). */
  isConfiguration: boolean;
}

const FIXES: Record<FailureCause, string> = {
  'unknown-api-key': 'the server does not know this API key: use the key of the project this URL belongs to (LiveKit Cloud: Settings → Keys)',
  'bad-signature': 'the API secret does not belong to this API key: copy the secret of this key again (watch for spaces or quotes)',
  'clock-skew': "this machine's clock differs from the server's by more than a minute: sync it (e.g. `timedatectl set-ntp true`)",
  'permission-denied': 'the token lacks a grant for this call: use an API key with full admin rights',
  unauthenticated: 'the server refused the credentials: check the API key and secret for this URL',
  'connection-refused': 'nothing listens at this host and port: check the URL (and that livekit-server runs, for self-hosted)',
  'connection-reset': 'the connection was cut: a proxy or firewall between here and the server may block it',
  'dns-failure': 'the host name does not resolve: check the URL for typos (LiveKit Cloud: <project>.livekit.cloud)',
  'tls-failure': 'the TLS handshake failed: use ws:// / http:// for a server without TLS, or fix its certificate',
  timeout: 'the server did not answer in time: check the network path, or raise --timeout',
  'server-error': 'the server failed internally: retry, and check the server logs (self-hosted) or LiveKit status',
  'room-not-found': 'the room does not exist (or has closed): list rooms with `livekit-doctor rooms`',
  'room-not-live': 'the room is not live on any server node (it closed or never existed): list rooms with `livekit-doctor rooms`',
  'not-found': 'the server answered 404: is this the URL of a LiveKit server (no extra path)?',
  'bad-request': 'the server rejected the request as invalid: check names and metadata',
  'bad-url': 'the URL cannot be used: check its scheme, host and port',
  unknown: 'run with --verbose for details',
};

const CONFIGURATION_CAUSES = new Set<FailureCause>(['unknown-api-key', 'bad-signature', 'permission-denied', 'unauthenticated']);

/** Classifies the text of a 401 answer (Twirp JSON `msg`, or the worker socket's plain-text body). */
export function classifyUnauthorized(body: string): FailureCause {
  const text = body.toLowerCase();
  if (text.includes('invalid api key')) return 'unknown-api-key';
  if (text.includes('not valid yet') || text.includes('expired') || text.includes('"nbf"') || text.includes('"exp"') || text.includes('issued at'))
    return 'clock-skew';
  if (text.includes('signature') || text.includes('cryptographic') || text.includes('invalid token')) return 'bad-signature';
  if (text.includes('permission')) return 'permission-denied';
  return 'unauthenticated';
}

const NETWORK_CODES: Record<string, FailureCause> = {
  ECONNREFUSED: 'connection-refused',
  ECONNRESET: 'connection-reset',
  EPIPE: 'connection-reset',
  ENOTFOUND: 'dns-failure',
  EAI_AGAIN: 'dns-failure',
  EAI_FAIL: 'dns-failure',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  UND_ERR_SOCKET: 'connection-reset',
  ERR_INVALID_URL: 'bad-url',
  // getaddrinfo refuses the name itself (a DNS label over 63 characters, a name over 253).
  EINVAL: 'bad-url',
  ENETUNREACH: 'connection-refused',
  EHOSTUNREACH: 'connection-refused',
  ENETDOWN: 'connection-refused',
  ECONNABORTED: 'connection-reset',
  UND_ERR_CLOSED: 'connection-reset',
  EPROTO: 'tls-failure',
};

function networkCause(code: string | undefined, message: string): FailureCause | undefined {
  if (!code) return /bad port/i.test(message) ? 'bad-url' : undefined;
  if (NETWORK_CODES[code]) return NETWORK_CODES[code];
  if (/^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/.test(code)) return 'tls-failure';
  return undefined;
}

/** Any thrown value from a server call (fetch, SDK, ws) → a cause and one redacted line. */
export function classifyFailure(err: unknown, operation: string): ClassifiedFailure {
  const make = (cause: FailureCause, detail: string, status?: number): ClassifiedFailure => ({
    cause,
    message: shorten(redact(`${operation}: ${detail}`.replace(/\s+/g, ' ').trim())),
    fix: FIXES[cause],
    status,
    isConfiguration: CONFIGURATION_CAUSES.has(cause),
  });
  const e = err as { name?: string; message?: string; status?: number; code?: string; cause?: unknown };
  const message = describeThrown(e?.message ?? err);
  if (typeof e?.status === 'number') {
    const status = e.status;
    if (status === 401 || status === 403) {
      const cause = classifyUnauthorized(message);
      return make(cause, `${status} ${describe401(cause, message)}`, status);
    }
    if (status === 404) return make(/room/i.test(message) ? 'room-not-found' : 'not-found', `404 ${message}`, status);
    if (status === 503 && /no response from servers/i.test(message)) return make('room-not-live', `503 ${message}`, status);
    if (status === 400 || e.code === 'invalid_argument') return make('bad-request', `${status} ${message}`, status);
    if (status >= 500) return make('server-error', `${status} ${message.slice(0, 200)}`, status);
    return make('unknown', `${status} ${message.slice(0, 200)}`, status);
  }
  // DeadlineError's own text repeats the operation name that `make` already puts first.
  if (e?.name === 'DeadlineError' && typeof (e as { ms?: unknown }).ms === 'number') return make('timeout', `no answer within ${(e as { ms: number }).ms} ms`);
  if (e?.name === 'TimeoutError' || e?.name === 'DeadlineError') return make('timeout', message);
  if (e?.name === 'AbortError') return make('timeout', 'aborted before the server answered');
  const inner = e?.cause as { code?: string; message?: string; cause?: { code?: string } } | undefined;
  const code = inner?.code ?? inner?.cause?.code ?? e?.code;
  const cause = networkCause(code, `${message} ${inner?.message ?? ''}`);
  if (cause) return make(cause, `${code ?? ''} ${inner?.message ?? message}`.trim());
  // "fetch failed" alone says nothing: the inner error (undici puts the reason there) is the cause.
  const innerText = inner?.message && inner.message !== message ? ` (${code ? `${code} ` : ''}${inner.message})` : '';
  return make('unknown', `${message}${innerText}`);
}

/** Very long words (a 300-character host name echoed back) are cut, so the line stays readable. */
function shorten(text: string): string {
  return text.replace(/[^\s]{80,}/g, (w) => `${w.slice(0, 40)}…(${w.length} chars)`);
}

function describe401(cause: FailureCause, message: string): string {
  switch (cause) {
    case 'unknown-api-key':
      return 'unknown API key';
    case 'bad-signature':
      return 'token signature rejected (wrong API secret for this key)';
    case 'clock-skew':
      return `token rejected for its time (${/not valid yet/i.test(message) ? 'not valid yet' : 'expired'})`;
    case 'permission-denied':
      return 'permission denied';
    default:
      return message.slice(0, 200);
  }
}

export function fixFor(cause: FailureCause): string {
  return FIXES[cause];
}

/** Any thrown value as text: an object whose toString is not callable makes String() itself throw. */
function describeThrown(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
