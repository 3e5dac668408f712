import { execFileSync } from 'node:child_process';
import { spawnLogged } from './process.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeTcpPort } from './ports.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type ToxicStream = 'upstream' | 'downstream';

interface ToxicBase {
  /** Defaults to `<type>_<stream>`, as toxiproxy itself names them. */
  name?: string;
  /** Defaults to downstream (server → client), as in toxiproxy. */
  stream?: ToxicStream;
  /** Share of connections affected, 0..1 (default 1). */
  toxicity?: number;
}

/** The toxics the tests use; attribute units are toxiproxy's own. */
export type Toxic =
  | (ToxicBase & { type: 'latency'; attributes: { /** ms */ latency: number; /** ms */ jitter?: number } })
  | (ToxicBase & { type: 'bandwidth'; attributes: { /** KB/s */ rate: number } })
  /** Drops all data; closes the connection after `timeout` ms, or never when 0 (a blackhole). */
  | (ToxicBase & { type: 'timeout'; attributes: { /** ms */ timeout: number } })
  /** Resets the connection (RST) after `timeout` ms, at once when 0. */
  | (ToxicBase & { type: 'reset_peer'; attributes: { /** ms */ timeout: number } })
  /** Closes the connection once `bytes` have gone through. */
  | (ToxicBase & { type: 'limit_data'; attributes: { bytes: number } })
  | (ToxicBase & {
      type: 'slicer';
      attributes: { /** bytes */ average_size: number; /** bytes */ size_variation?: number; /** µs between slices */ delay?: number };
    });

export interface ToxiProxy {
  name: string;
  /** 'host:port' clients connect to. */
  listen: string;
  host: string;
  port: number;
  upstream: string;
  /** Adds a toxic (also to connections already open); resolves with its name. */
  addToxic(toxic: Toxic): Promise<string>;
  removeToxic(name: string): Promise<void>;
  /** Closes the listener and every open connection through the proxy. */
  disable(): Promise<void>;
  /** Listens again on the same address. */
  enable(): Promise<void>;
  delete(): Promise<void>;
}

export interface Toxiproxy {
  /** http://127.0.0.1:<port> */
  apiUrl: string;
  port: number;
  logFile: string;
  pid: number;
  /** A proxy on a free loopback port in front of upstream ('host:port'). */
  createProxy(name: string, upstream: string): Promise<ToxiProxy>;
  /** Enables every proxy and removes every toxic. */
  reset(): Promise<void>;
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

let cachedBin: string | undefined;

/** The toxiproxy server binary, installed by scripts/install-toxiproxy.sh when missing. */
export function toxiproxyBinary(): string {
  if (cachedBin) return cachedBin;
  const out = execFileSync('bash', [join(repoRoot, 'scripts', 'install-toxiproxy.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = out.trim().split('\n');
  cachedBin = lines[lines.length - 1]!.trim();
  return cachedBin;
}

/** Starts a real toxiproxy server with its API on a free loopback port. */
export async function startToxiproxy(): Promise<Toxiproxy> {
  const bin = toxiproxyBinary();
  const port = await freeTcpPort();
  const dir = mkdtempSync(join(tmpdir(), 'lkd-toxiproxy-'));
  const logFile = join(dir, 'toxiproxy.log');
  const proc = spawnLogged(bin, ['-host', '127.0.0.1', '-port', String(port)], { logFile });
  const child = proc.child;
  const apiUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  while (true) {
    if (proc.exited()) throw new Error(`toxiproxy exited during start; log: ${logFile}`);
    try {
      const res = await fetch(`${apiUrl}/version`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await proc.exit;
      throw new Error(`toxiproxy did not answer on ${apiUrl} within 15 s; log: ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const call = async <T = unknown>(method: string, path: string, body?: unknown): Promise<T | undefined> => {
    const res = await fetch(`${apiUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`toxiproxy ${method} ${path}: ${res.status} ${text.trim()}`);
    return text ? (JSON.parse(text) as T) : undefined;
  };

  const createProxy = async (name: string, upstream: string): Promise<ToxiProxy> => {
    // Port 0: toxiproxy binds a free port itself and answers with it, so there is no race for one.
    const created = await call<{ listen: string }>('POST', '/proxies', { name, listen: '127.0.0.1:0', upstream, enabled: true });
    const listen = created!.listen;
    const colon = listen.lastIndexOf(':');
    const p = `/proxies/${encodeURIComponent(name)}`;
    return {
      name,
      listen,
      host: listen.slice(0, colon),
      port: Number(listen.slice(colon + 1)),
      upstream,
      addToxic: async (toxic) => {
        const stream = toxic.stream ?? 'downstream';
        const toxicName = toxic.name ?? `${toxic.type}_${stream}`;
        await call('POST', `${p}/toxics`, { name: toxicName, type: toxic.type, stream, toxicity: toxic.toxicity ?? 1, attributes: toxic.attributes });
        return toxicName;
      },
      removeToxic: async (toxicName) => {
        await call('DELETE', `${p}/toxics/${encodeURIComponent(toxicName)}`);
      },
      // PATCH: v2.12 still takes POST for updates but logs it as deprecated.
      disable: async () => {
        await call('PATCH', p, { enabled: false });
      },
      enable: async () => {
        await call('PATCH', p, { enabled: true });
      },
      delete: async () => {
        await call('DELETE', p);
      },
    };
  };

  const stop = proc.stop;
  return {
    apiUrl,
    port,
    logFile,
    pid: child.pid!,
    createProxy,
    reset: async () => {
      await call('POST', '/reset');
    },
    log: () => readFileSync(logFile, 'utf8'),
    stop,
  };
}
