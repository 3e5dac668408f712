/**
 * Fetching a token the way the app's frontend does. Every way this goes wrong ends in one line that
 * says what happened and what it usually means. Answer bodies are redacted before they are quoted.
 */
import { redact } from '../core/redact.js';

export type EndpointShape = 'livekit-standard' | 'token' | 'accessToken' | 'plain-text';

export interface EndpointToken {
  jwt: string;
  /** The server URL the endpoint told the frontend to use, when it told one. */
  serverUrl?: string;
  shape: EndpointShape;
  status: number;
  elapsedMs: number;
}

export type EndpointFailureCause =
  | 'endpoint-unauthorized'
  | 'endpoint-not-found'
  | 'endpoint-server-error'
  | 'endpoint-http-error'
  | 'endpoint-not-json'
  | 'endpoint-no-token'
  | 'endpoint-timeout'
  | 'endpoint-unreachable';

export class EndpointError extends Error {
  constructor(
    readonly cause_: EndpointFailureCause,
    message: string,
    readonly fix: string,
    readonly status?: number,
  ) {
    super(redact(message));
    this.name = 'EndpointError';
  }
}

const JWT = /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const excerpt = (body: string) => JSON.stringify(redact(body.replace(/\s+/g, ' ').trim()).slice(0, 80));
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** Pure: the token in an answer, in one of the shapes apps use. */
export function parseEndpointAnswer(status: number, contentType: string, body: string, elapsedMs = 0): EndpointToken {
  if (status === 401 || status === 403) {
    throw new EndpointError('endpoint-unauthorized', `the token endpoint refused the request (HTTP ${status}): ${excerpt(body)}`, 'it wants what the app sends: a login cookie or header; test with an endpoint that is open in development, or pass the body your frontend sends with --token-endpoint-body', status);
  }
  if (status === 404) throw new EndpointError('endpoint-not-found', `the token endpoint answered HTTP 404: no route at this path`, 'check the path the frontend calls (e.g. /api/token or /api/connection-details)', status);
  if (status >= 500) {
    throw new EndpointError('endpoint-server-error', `the token endpoint failed (HTTP ${status}): ${excerpt(body)}`, "its server side broke: often LIVEKIT_API_KEY/LIVEKIT_API_SECRET/LIVEKIT_URL are missing from the backend's environment; read the backend's log", status);
  }
  if (status < 200 || status >= 300) throw new EndpointError('endpoint-http-error', `the token endpoint answered HTTP ${status}: ${excerpt(body)}`, 'check the method (GET, or POST with --token-endpoint-body) and the URL', status);
  const trimmed = body.trim();
  if (JWT.test(trimmed.replace(/^"|"$/g, ''))) return { jwt: trimmed.replace(/^"|"$/g, ''), shape: 'plain-text', status, elapsedMs };
  let doc: unknown;
  try {
    doc = JSON.parse(trimmed);
  } catch {
    throw new EndpointError('endpoint-not-json', `the token endpoint answered ${status} with ${contentType || 'no content type'}, not JSON: ${excerpt(body)}`, 'an HTML page usually means a login redirect or the frontend route instead of the API route', status);
  }
  const o = doc && typeof doc === 'object' ? (doc as Record<string, unknown>) : {};
  const serverUrl = str(o.server_url) ?? str(o.serverUrl) ?? str(o.url) ?? str(o.wsUrl) ?? str(o.livekitUrl);
  const candidates: [EndpointShape, string | undefined][] = [
    ['livekit-standard', str(o.participant_token) ?? str(o.participantToken)],
    ['token', str(o.token)],
    ['accessToken', str(o.accessToken) ?? str(o.access_token)],
  ];
  const found = candidates.find(([, v]) => v !== undefined);
  if (!found) {
    const keys = Object.keys(o).join(', ') || 'none';
    throw new EndpointError('endpoint-no-token', `the token endpoint answered JSON without a token (keys: ${keys})`, 'the doctor reads participant_token (LiveKit standard, with server_url), token or accessToken', status);
  }
  return { jwt: found[1]!, shape: found[0], status, elapsedMs, ...(serverUrl ? { serverUrl } : {}) };
}

/** GET, or POST with a JSON body; one deadline for the whole exchange. */
export async function fetchEndpointToken(url: string, opts: { body?: string; timeoutMs: number; signal?: AbortSignal }): Promise<EndpointToken> {
  const started = performance.now();
  const deadline = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  let res: Response;
  let body: string;
  try {
    res = await fetch(url, {
      method: opts.body !== undefined ? 'POST' : 'GET',
      headers: { accept: 'application/json', ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: opts.body,
      signal,
      redirect: 'manual',
    });
    body = (await res.text()).slice(0, 64 * 1024);
  } catch (err) {
    if (deadline.aborted) {
      throw new EndpointError('endpoint-timeout', `the token endpoint did not answer within ${(opts.timeoutMs / 1000).toFixed(1)} s`, 'the backend hangs: it may be waiting on LiveKit or a database; raise --timeout if it is only slow');
    }
    const code = (err as { cause?: { code?: string } }).cause?.code ?? (err instanceof Error ? err.message : String(err));
    throw new EndpointError('endpoint-unreachable', `the token endpoint cannot be reached (${code})`, 'is the app running, and is this its URL and port?');
  }
  return parseEndpointAnswer(res.status, res.headers.get('content-type') ?? '', body, Math.round(performance.now() - started));
}
