import { execFileSync } from 'node:child_process';
import { spawnLogged, type LoggedProcess } from './process.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { freeTcpPort, freeUdpPort } from './ports.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface KeyPair {
  key: string;
  secret: string;
}

export interface LiveKitServer {
  /** ws://127.0.0.1:<port> */
  url: string;
  /** http://127.0.0.1:<port> */
  httpUrl: string;
  port: number;
  /** keys[0] is the pair tests use by default; the others make wrong-key cases real. */
  keys: KeyPair[];
  logFile: string;
  logFormat: 'console' | 'json';
  pid: number;
  /** Text of the server's log so far. */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s). Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Stops the server and starts a new process on the same ports, keys and config, as a deploy or crash
   * restart does; its log goes on in the same file. `whileDown` runs in between (e.g. wait until an agent
   * gave up reconnecting). `pid` is the new process's afterwards.
   */
  restart(opts?: { whileDown?: () => Promise<void> }): Promise<void>;
}

let cachedBin: string | undefined;

/** The livekit-server binary, installed by scripts/install-livekit-server.sh when missing. */
export function serverBinary(): string {
  if (cachedBin) return cachedBin;
  const out = execFileSync('bash', [join(repoRoot, 'scripts', 'install-livekit-server.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = out.trim().split('\n');
  cachedBin = lines[lines.length - 1]!.trim();
  return cachedBin;
}

/** A key pair with a recognisable secret (tests scan output for it), 32+ chars as real deployments use. */
export function makeKeyPair(tag = 'k'): KeyPair {
  return {
    key: `API${tag}${randomBytes(6).toString('hex')}`,
    secret: `SECRETLEAKCANARY${randomBytes(16).toString('hex')}`,
  };
}

export interface StartOptions {
  /** How many key pairs the server accepts (default 3). */
  keyCount?: number;
  /** Log as JSON lines instead of the console format. */
  jsonLog?: boolean;
  /** Extra YAML appended to the generated config. */
  extraConfig?: string;
  /** Use these key pairs instead of generating them. */
  keys?: KeyPair[];
}

/** Starts a real livekit-server in --dev mode on loopback with free ports and waits until it answers. */
export async function startLiveKitServer(opts: StartOptions = {}): Promise<LiveKitServer> {
  const bin = serverBinary();
  const keys = opts.keys ?? Array.from({ length: opts.keyCount ?? 3 }, (_, i) => makeKeyPair(String(i)));
  const [port, tcpPort, udpPort] = [await freeTcpPort(), await freeTcpPort(), await freeUdpPort()];
  const config = [
    `port: ${port}`,
    `bind_addresses: ["127.0.0.1"]`,
    `rtc:`,
    `  tcp_port: ${tcpPort}`,
    `  udp_port: ${udpPort}`,
    `  use_external_ip: false`,
    `  node_ip: 127.0.0.1`,
    // The default STUN servers are on the internet; clients (agents, the doctor) are told this one instead.
    `  stun_servers: ["127.0.0.1:${udpPort}"]`,
    `logging:`,
    `  json: ${opts.jsonLog ? 'true' : 'false'}`,
    `  level: debug`,
    opts.extraConfig ?? '',
  ].join('\n');
  const dir = mkdtempSync(join(tmpdir(), 'lkd-server-'));
  const logFile = join(dir, 'livekit-server.log');
  const args = ['--dev', '--config-body', config, '--keys', keys.map((k) => `${k.key}: ${k.secret}`).join('\n')];
  const httpUrl = `http://127.0.0.1:${port}`;
  const launch = (append: boolean) => launchServer(bin, args, logFile, httpUrl, append);
  let proc = await launch(false);
  const server: LiveKitServer = {
    url: `ws://127.0.0.1:${port}`,
    httpUrl,
    port,
    keys,
    logFile,
    logFormat: opts.jsonLog ? 'json' : 'console',
    pid: proc.child.pid!,
    log: () => readFileSync(logFile, 'utf8'),
    stop: () => proc.stop(),
    restart: async ({ whileDown } = {}) => {
      await proc.stop();
      await whileDown?.();
      proc = await launch(true);
      server.pid = proc.child.pid!;
    },
  };
  return server;
}

async function launchServer(bin: string, args: string[], logFile: string, httpUrl: string, append: boolean): Promise<LoggedProcess> {
  const proc = spawnLogged(bin, args, { logFile, append, env: { ...process.env, LIVEKIT_CONFIG: '', LIVEKIT_KEYS: '' } });
  const child = proc.child;
  const deadline = Date.now() + 30_000;
  while (true) {
    if (proc.exited()) throw new Error(`livekit-server exited during start; log: ${logFile}`);
    try {
      const res = await fetch(httpUrl, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`livekit-server did not answer on ${httpUrl} within 30 s; log: ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return proc;
}
