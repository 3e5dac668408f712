import { spawnLogged } from './process.js';
import { mkdtempSync, readFileSync, writeFileSync, accessSync, constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, delimiter } from 'node:path';
import { freeTcpPort } from './ports.js';

export interface PromVectorSample {
  metric: Record<string, string>;
  /** [unix seconds, value as text] */
  value: [number, string];
}

export interface PromMatrixSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

/** The `data` of an /api/v1/query answer. */
export type PromQueryResult =
  | { resultType: 'vector'; result: PromVectorSample[] }
  | { resultType: 'matrix'; result: PromMatrixSeries[] }
  | { resultType: 'scalar' | 'string'; result: [number, string] };

export interface PrometheusServer {
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  configFile: string;
  logFile: string;
  pid: number;
  /** Instant query through the HTTP API; rejects when Prometheus answers with an error. */
  query(promql: string): Promise<PromQueryResult>;
  /**
   * Polls an instant query (every 200 ms, at most timeoutMs) until it returns a non-empty vector.
   * Prometheus hands targets to the scraper at most every 5 s (not configurable in 2.42), so the first
   * sample lands about 5 s after /-/ready whatever the scrape interval.
   */
  waitForVector(promql: string, timeoutMs?: number): Promise<PromVectorSample[]>;
  /** GET of another /api/v1 endpoint (e.g. 'targets', 'rules'), resolving with its `data`. */
  api<T = unknown>(path: string): Promise<T>;
  /** Text of the server's log so far. */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartPrometheusOptions {
  /** 'host:port' of HTTP servers exposing /metrics. */
  scrapeTargets: string[];
  /** Scrape and rule evaluation interval. */
  scrapeIntervalMs: number;
  /** Absolute paths of rule files to load. */
  ruleFiles?: string[];
}

function executable(p: string): string | undefined {
  try {
    accessSync(p, constants.X_OK);
    return p;
  } catch {
    return undefined;
  }
}

// PATH first, then /usr/bin: a test runner's PATH may be trimmed, and that is where the Debian package puts them.
function systemBinary(name: 'prometheus' | 'promtool'): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), '/usr/bin'];
  for (const dir of dirs) {
    const found = executable(join(dir, name));
    if (found) return found;
  }
  throw new Error(`${name} is not installed; run bash scripts/install-test-deps.sh (Debian package prometheus)`);
}

/** Path of promtool (shipped by the Debian prometheus package as /usr/bin/promtool). */
export function promtoolBin(): string {
  return systemBinary('promtool');
}

/** Path of the prometheus server binary. */
export function prometheusBin(): string {
  return systemBinary('prometheus');
}

/** Starts a real Prometheus on a free loopback port with its own config and TSDB in a temp folder. */
export async function startPrometheus(opts: StartPrometheusOptions): Promise<PrometheusServer> {
  const bin = prometheusBin();
  const port = await freeTcpPort();
  const dir = mkdtempSync(join(tmpdir(), 'lkd-prometheus-'));
  const interval = `${Math.max(1, Math.round(opts.scrapeIntervalMs))}ms`;
  // JSON is YAML, and spares quoting target strings by hand.
  const config = {
    global: { scrape_interval: interval, scrape_timeout: interval, evaluation_interval: interval },
    rule_files: opts.ruleFiles ?? [],
    scrape_configs: [
      {
        job_name: 'targets',
        scrape_interval: interval,
        scrape_timeout: interval,
        static_configs: [{ targets: opts.scrapeTargets }],
      },
    ],
  };
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const logFile = join(dir, 'prometheus.log');
  const url = `http://127.0.0.1:${port}`;
  // Debian's defaults point at /etc/prometheus and /var/lib/prometheus (owned by the packaged daemon),
  // and listen on 0.0.0.0:9090: every path and the address are given explicitly.
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    `--web.console.templates=${join(dir, 'consoles')}`,
    `--web.console.libraries=${join(dir, 'console_libraries')}`,
  ];
  const proc = spawnLogged(bin, args, { logFile, cwd: dir });
  const child = proc.child;
  const deadline = Date.now() + 30_000;
  while (true) {
    if (proc.exited()) throw new Error(`prometheus exited during start; log: ${logFile}`);
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await proc.exit;
      throw new Error(`prometheus was not ready on ${url} within 30 s; log: ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const api = async <T = unknown>(path: string): Promise<T> => {
    const res = await fetch(`${url}/api/v1/${path.replace(/^\/+/, '')}`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as { status: string; data?: T; error?: string; errorType?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.errorType ?? res.status}: ${body.error ?? 'no error text'}`);
    return body.data as T;
  };
  const query = (promql: string) => api<PromQueryResult>(`query?query=${encodeURIComponent(promql)}`);
  const waitForVector = async (promql: string, timeoutMs = 20_000): Promise<PromVectorSample[]> => {
    const until = Date.now() + timeoutMs;
    let last: PromQueryResult | undefined;
    for (let i = 0; i < Math.ceil(timeoutMs / 200) + 1; i++) {
      last = await query(promql);
      if (last.resultType === 'vector' && last.result.length > 0) return last.result;
      if (Date.now() > until) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`prometheus query ${promql} stayed empty for ${timeoutMs} ms (last: ${JSON.stringify(last)}); log: ${logFile}`);
  };
  const stop = proc.stop;
  return {
    port,
    url,
    configFile,
    logFile,
    pid: child.pid!,
    query,
    waitForVector,
    api,
    log: () => readFileSync(logFile, 'utf8'),
    stop,
  };
}
