import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { hostForUrl, type ListenAddress } from './duration.js';
import type { TargetProgress } from './loop.js';

export interface HealthSource {
  progress: ReadonlyMap<string, TargetProgress>;
  /** True once the monitor began to shut down. */
  stopping(): boolean;
  /** A run of this target that lasts longer than this is stuck (ms). */
  stallAfterMs(target: string): number;
}

export interface MetricsSource {
  contentType: string;
  metrics(): Promise<string>;
}

export interface HealthAnswer {
  ok: boolean;
  body: { status: 'ok' | 'stalled' | 'stopping' | 'waiting'; targets: Record<string, { runs: number; completed: number; running: boolean; runningForMs?: number }> };
}

function targetsView(h: HealthSource, now: number): HealthAnswer['body']['targets'] {
  return Object.fromEntries(
    [...h.progress].map(([name, p]) => [name, { runs: p.runs, completed: p.completed, running: p.runningSince !== undefined, ...(p.runningSince !== undefined ? { runningForMs: Math.round(now - p.runningSince) } : {}) }]),
  );
}

/** /healthz: the loop is alive: not shutting down and no run stuck past its limit. */
export function liveness(h: HealthSource, now = performance.now()): HealthAnswer {
  const targets = targetsView(h, now);
  if (h.stopping()) return { ok: false, body: { status: 'stopping', targets } };
  const stalled = [...h.progress].some(([name, p]) => p.runningSince !== undefined && now - p.runningSince > h.stallAfterMs(name));
  return { ok: !stalled, body: { status: stalled ? 'stalled' : 'ok', targets } };
}

/** /readyz: every target has completed a run, so every series a dashboard reads exists. */
export function readiness(h: HealthSource, now = performance.now()): HealthAnswer {
  const targets = targetsView(h, now);
  if (h.stopping()) return { ok: false, body: { status: 'stopping', targets } };
  const ready = [...h.progress.values()].every((p) => p.completed > 0);
  return { ok: ready, body: { status: ready ? 'ok' : 'waiting', targets } };
}

const REQUEST_DEADLINE_MS = 10_000;

/** The monitor's HTTP face: GET /metrics, /healthz, /readyz. Listening errors are usage errors (exit 2). */
export async function startMonitorServer(listen: ListenAddress, metrics: MetricsSource, health: HealthSource): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    handle(req, res, metrics, health).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${redact(String((err as Error)?.message ?? err))}\n`);
    });
  });
  server.requestTimeout = REQUEST_DEADLINE_MS;
  server.headersTimeout = REQUEST_DEADLINE_MS / 2;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      const where = `${hostForUrl(listen.host)}:${listen.port}`;
      if (err.code === 'EADDRINUSE') reject(new UsageError(`--listen ${where}: the address is in use (another monitor or exporter?); choose another port`));
      else if (err.code === 'EACCES') reject(new UsageError(`--listen ${where}: not allowed to listen there; choose a port above 1023`));
      else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') reject(new UsageError(`--listen ${where}: no such address on this machine`));
      else reject(err);
    });
    server.listen(listen.port, listen.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${hostForUrl(listen.host === '0.0.0.0' ? '127.0.0.1' : listen.host === '::' ? '::1' : listen.host)}:${port}`;
  return {
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, metrics: MetricsSource, health: HealthSource): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }).end('only GET\n');
    return;
  }
  if (path === '/metrics') {
    const text = await metrics.metrics();
    res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text);
    return;
  }
  if (path === '/healthz' || path === '/readyz') {
    const answer = path === '/healthz' ? liveness(health) : readiness(health);
    res.writeHead(answer.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : `${JSON.stringify(answer.body)}\n`);
    return;
  }
  if (path === '/') {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('livekit-doctor monitor\n  /metrics  Prometheus text format\n  /healthz  the loop is alive\n  /readyz   every target completed a run\n');
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: try /metrics, /healthz or /readyz\n');
}
