/**
 * Reads an agent's own HTTP endpoint (both agent frameworks serve it, port 8081 in production):
 * `GET /` is health (200, or 503 with a reason), `GET /worker` describes the worker as JSON.
 * Older agents-js sends /worker with a misspelt content-type header, so the body is parsed
 * whatever the header says.
 */
import { redact } from '../../core/redact.js';
import { normaliseWorkerInfo, workerInfoTypeProblems, type AgentWorkerInfo } from './worker-info.js';

export type AgentEndpointErrorCause = 'refused' | 'timeout' | 'dns' | 'not-json' | 'bad-shape' | 'too-large' | 'http-error' | 'network' | 'bad-url';

export interface AgentStatus {
  /** The base URL asked. */
  url: string;
  /** Whether any HTTP answer came back from `GET /`. */
  reachable: boolean;
  health: { status?: number; ok: boolean; reason?: string };
  worker?: AgentWorkerInfo;
  error?: { cause: AgentEndpointErrorCause; message: string };
  elapsedMs: number;
}

export interface FetchAgentStatusOptions {
  /** Deadline for each of the two requests. */
  timeoutMs: number;
  signal?: AbortSignal;
}

const MAX_BODY = 64 * 1024;

export async function fetchAgentStatus(baseUrl: string, opts: FetchAgentStatusOptions): Promise<AgentStatus> {
  const started = performance.now();
  const done = (s: Omit<AgentStatus, 'elapsedMs'>): AgentStatus => ({ ...s, elapsedMs: Math.round(performance.now() - started) });
  let base: URL;
  try {
    base = agentBaseUrl(baseUrl);
  } catch {
    return done({ url: baseUrl, reachable: false, health: { ok: false }, error: { cause: 'bad-url', message: `not a URL: ${baseUrl}` } });
  }
  const url = base.toString();

  const health = await get(new URL('./', base), opts);
  if ('error' in health) return done({ url, reachable: false, health: { ok: false }, error: health.error });
  const ok = health.status >= 200 && health.status < 300;
  const reason = ok ? undefined : firstLine(health.body) || `HTTP ${health.status}`;
  const result = { url, reachable: true, health: { status: health.status, ok, ...(reason ? { reason } : {}) } };

  const info = await get(new URL('worker', base), opts);
  if ('error' in info) return done({ ...result, error: info.error });
  if (info.status < 200 || info.status >= 300) {
    return done({ ...result, error: { cause: 'http-error', message: `GET /worker answered HTTP ${info.status}${firstLine(info.body) ? `: ${firstLine(info.body)}` : ''}` } });
  }
  if (info.truncated) {
    return done({ ...result, error: { cause: 'too-large', message: `GET /worker answered more than ${MAX_BODY / 1024} KB (read no further): an agent's /worker is a few hundred bytes, so this is not one` } });
  }
  const parsed = readWorkerJson(info.body);
  if ('error' in parsed) return done({ ...result, error: parsed.error });
  return done({ ...result, worker: parsed.worker });
}

/**
 * The body of `GET /worker` → the worker, or one clear error (not JSON, not an object, fields of the wrong
 * type). Never throws, whatever the body.
 */
export function readWorkerJson(body: string): { worker: AgentWorkerInfo } | { error: NonNullable<AgentStatus['error']> } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { error: { cause: 'not-json', message: `GET /worker did not answer JSON: ${JSON.stringify(firstLine(body).slice(0, 80))}` } };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    return { error: { cause: 'not-json', message: 'GET /worker answered JSON that is not an object' } };
  }
  const wrong = workerInfoTypeProblems(json as Record<string, unknown>);
  if (wrong.length) {
    return { error: { cause: 'bad-shape', message: redact(`GET /worker answered fields of the wrong type: ${wrong.slice(0, 3).join('; ')}${wrong.length > 3 ? ` (and ${wrong.length - 3} more)` : ''} — no agent SDK sends that, so name, jobs and load are not trusted`) } };
  }
  return { worker: normaliseWorkerInfo(json as Record<string, unknown>) };
}

/** `host:8081`, `http://host:8081/`, `http://host:8081/worker` all mean the same agent. */
export function agentBaseUrl(input: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `http://${input}`;
  const url = new URL(withScheme);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  url.search = '';
  url.hash = '';
  url.pathname = url.pathname.replace(/\/worker\/?$/, '/');
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

type GetResult = { status: number; body: string; truncated: boolean } | { error: NonNullable<AgentStatus['error']> };

async function get(url: URL, opts: FetchAgentStatusOptions): Promise<GetResult> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error('timeout')), opts.timeoutMs);
  const onOuterAbort = () => controller.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    if (opts.signal?.aborted) controller.abort(opts.signal.reason);
    const res = await fetch(url, { signal: controller.signal, headers: { accept: 'application/json, text/plain;q=0.9' } });
    return { status: res.status, ...(await readBounded(res)) };
  } catch (err) {
    return { error: classifyFetchError(err, url, opts.timeoutMs, controller.signal.aborted) };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/** At most MAX_BODY bytes of the body (a Content-Length above it is not read at all); the rest is cancelled. */
async function readBounded(res: Response): Promise<{ body: string; truncated: boolean }> {
  if (!res.body) return { body: '', truncated: false };
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_BODY) {
    await res.body.cancel().catch(() => undefined);
    return { body: '', truncated: true };
  }
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size <= MAX_BODY) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
  }
  await reader.cancel().catch(() => undefined);
  return { body: Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8'), truncated: size > MAX_BODY };
}

function classifyFetchError(err: unknown, url: URL, timeoutMs: number, aborted: boolean): NonNullable<AgentStatus['error']> {
  const target = `${url.protocol}//${url.host}`;
  if (aborted) return { cause: 'timeout', message: `no answer from ${target} within ${timeoutMs} ms` };
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  if (code === 'ECONNREFUSED') return { cause: 'refused', message: `connection refused by ${target}: nothing listens there (is the agent running, and is its HTTP port ${url.port || 'default'}?)` };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { cause: 'dns', message: `cannot resolve host ${url.hostname} (${code})` };
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return { cause: 'timeout', message: `connecting to ${target} timed out` };
  return { cause: 'network', message: redact(`${target}: ${cause?.message ?? (err as Error).message ?? String(err)}${code ? ` (${code})` : ''}`) };
}

function firstLine(text: string): string {
  return redact(text.trim().split(/\r?\n/)[0] ?? '').slice(0, 200);
}
