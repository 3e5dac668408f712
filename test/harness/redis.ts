import { spawnLogged } from './process.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeTcpPort } from './ports.js';

export interface RedisServer {
  port: number;
  /** redis://127.0.0.1:<port> */
  url: string;
  logFile: string;
  pid: number;
  /** Text of the server's log so far. */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Sends a raw RESP `PING` and resolves with the first reply line (`+PONG` from a healthy server).
 * Rejects on a refused/reset connection or after timeoutMs; no npm redis client needed.
 */
export function redisPing(port: number, timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port });
    let buf = '';
    const done = (err: Error | undefined, line?: string) => {
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(line!);
    };
    const timer = setTimeout(() => done(new Error(`no PING reply from 127.0.0.1:${port} within ${timeoutMs} ms`)), timeoutMs);
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write('PING\r\n'));
    sock.on('data', (chunk: string) => {
      buf += chunk;
      const end = buf.indexOf('\r\n');
      if (end >= 0) done(undefined, buf.slice(0, end));
    });
    sock.on('error', (err) => done(err));
    sock.on('close', () => done(new Error(`127.0.0.1:${port} closed the connection before answering PING`)));
  });
}

/** Starts a real redis-server (Debian package, see scripts/install-test-deps.sh) on a free loopback port. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freeTcpPort();
  const dir = mkdtempSync(join(tmpdir(), 'lkd-redis-'));
  const logFile = join(dir, 'redis-server.log');
  // No config file: the system's /etc/redis/redis.conf would daemonize and bind 6379. --dir keeps any
  // stray file (there should be none with persistence off) out of the work tree.
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--logfile', ''];
  const proc = spawnLogged('redis-server', args, { logFile });
  const child = proc.child;
  const deadline = Date.now() + 15_000;
  while (true) {
    if (proc.spawnError()) {
      throw new Error(`could not run redis-server (${proc.spawnError()!.message}); run bash scripts/install-test-deps.sh (Debian package redis-server)`);
    }
    if (proc.exited()) throw new Error(`redis-server exited during start; log: ${logFile}`);
    try {
      if ((await redisPing(port, 500)) === '+PONG') break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await proc.exit;
      throw new Error(`redis-server did not answer PING on 127.0.0.1:${port} within 15 s; log: ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const stop = proc.stop;
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    logFile,
    pid: child.pid!,
    log: () => readFileSync(logFile, 'utf8'),
    stop,
  };
}
