/**
 * The auxiliary services the harness can start (redis-server, Prometheus with promtool, toxiproxy),
 * each driven for real on loopback, so that tests built on them fail for their own reasons only.
 */
import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, connect, type Server as TcpServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, redisPing, type RedisServer } from '../harness/redis.js';
import { startPrometheus, promtoolBin, type PrometheusServer } from '../harness/prometheus.js';
import { startToxiproxy, type Toxiproxy, type ToxiProxy } from '../harness/toxiproxy.js';

const scratch = mkdtempSync(join(tmpdir(), 'lkd-aux-test-'));

function listenOnLoopback(server: HttpServer | TcpServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: HttpServer | TcpServer | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('redis-server on loopback', () => {
  it('starts on a free port, answers PING, and is gone after stop()', async () => {
    const redis: RedisServer = await startRedis();
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      expect(await redisPing(redis.port)).toBe('+PONG');
    } finally {
      await redis.stop();
    }
    expect(isAlive(redis.pid)).toBe(false);
    await expect(redisPing(redis.port, 1000)).rejects.toThrow();
    await redis.stop();
  });
});

describe('prometheus and promtool', () => {
  let exporter: HttpServer | undefined;
  let prom: PrometheusServer | undefined;
  const rules = [
    'groups:',
    '  - name: lkd-aux',
    '    rules:',
    '      - record: lkd_aux_test_metric:doubled',
    '        expr: lkd_aux_test_metric * 2',
    '      - alert: LkdAuxTestMetricHigh',
    '        expr: lkd_aux_test_metric > 40',
    '        labels: { severity: page }',
    '        annotations: { summary: "test metric is {{ $value }}" }',
    '',
  ].join('\n');
  const rulesFile = join(scratch, 'good.rules.yml');
  writeFileSync(rulesFile, rules);

  beforeAll(async () => {
    exporter = createHttpServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end('# HELP lkd_aux_test_metric A fixed value for the harness test.\n# TYPE lkd_aux_test_metric gauge\nlkd_aux_test_metric{kind="aux"} 42\n');
    });
    const port = await listenOnLoopback(exporter);
    prom = await startPrometheus({ scrapeTargets: [`127.0.0.1:${port}`], scrapeIntervalMs: 500, ruleFiles: [rulesFile] });
  });
  afterAll(async () => {
    await prom?.stop();
    await closeServer(exporter);
  });

  it('scrapes a node HTTP exporter and answers an instant query with its metric', async () => {
    const samples = await prom!.waitForVector('lkd_aux_test_metric', 20_000);
    expect(samples).toHaveLength(1);
    expect(samples[0]!.metric).toMatchObject({ __name__: 'lkd_aux_test_metric', kind: 'aux', job: 'targets' });
    expect(samples[0]!.value[1]).toBe('42');
    const up = await prom!.query('up');
    expect(up.resultType).toBe('vector');
  });

  it('loads the rule files it was given and evaluates them', async () => {
    const doubled = await prom!.waitForVector('lkd_aux_test_metric:doubled', 20_000);
    expect(doubled[0]!.value[1]).toBe('84');
  });

  it('rejects a query Prometheus cannot parse', async () => {
    await expect(prom!.query('sum(')).rejects.toThrow(/bad_data/);
  });

  it('promtool check rules passes a valid rules file and fails a broken one', () => {
    const good = spawnSync(promtoolBin(), ['check', 'rules', rulesFile], { encoding: 'utf8', timeout: 20_000 });
    expect(good.status, good.stdout + good.stderr).toBe(0);
    expect(good.stdout).toContain('SUCCESS: 2 rules found');

    const brokenFile = join(scratch, 'broken.rules.yml');
    writeFileSync(brokenFile, rules.replace('lkd_aux_test_metric * 2', 'rate(lkd_aux_test_metric[5m]'));
    const broken = spawnSync(promtoolBin(), ['check', 'rules', brokenFile], { encoding: 'utf8', timeout: 20_000 });
    expect(broken.status).toBe(1);
    expect(broken.stdout + broken.stderr).toMatch(/FAILED/);
  });
});

type Outcome = { kind: 'echo' } | { kind: 'closed'; data: string } | { kind: 'reset' } | { kind: 'refused' } | { kind: 'silent'; data: string } | { kind: 'error'; code: string };

/** One connection: sends payload and reports what came back within waitMs. */
function talk(port: number, payload: string, waitMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const sock = connect({ host: '127.0.0.1', port });
    let data = '';
    let settled = false;
    const done = (o: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => done({ kind: 'silent', data }), waitMs);
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(payload));
    sock.on('data', (chunk: string) => {
      data += chunk;
      if (data.includes(payload)) done({ kind: 'echo' });
    });
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') done({ kind: 'reset' });
      else if (err.code === 'ECONNREFUSED') done({ kind: 'refused' });
      else done({ kind: 'error', code: err.code ?? err.message });
    });
    sock.on('close', () => done({ kind: 'closed', data }));
  });
}

describe('toxiproxy in front of a TCP echo server', () => {
  let echo: TcpServer | undefined;
  let toxiproxy: Toxiproxy | undefined;
  let proxy: ToxiProxy;

  beforeAll(async () => {
    echo = createTcpServer((sock) => {
      sock.on('error', () => {});
      sock.pipe(sock);
    });
    const port = await listenOnLoopback(echo);
    toxiproxy = await startToxiproxy();
    proxy = await toxiproxy.createProxy('echo', `127.0.0.1:${port}`);
  });
  afterAll(async () => {
    await toxiproxy?.stop();
    await closeServer(echo);
  });

  it('proxies on a loopback port of its own choosing', async () => {
    expect(proxy.host).toBe('127.0.0.1');
    expect(proxy.port).toBeGreaterThan(0);
    expect(await talk(proxy.port, 'hello', 3000)).toEqual({ kind: 'echo' });
  });

  it('reset_peer resets new connections; removing it restores the echo', async () => {
    const name = await proxy.addToxic({ type: 'reset_peer', stream: 'upstream', attributes: { timeout: 0 } });
    expect(name).toBe('reset_peer_upstream');
    try {
      expect(await talk(proxy.port, 'ping', 3000)).toEqual({ kind: 'reset' });
    } finally {
      await proxy.removeToxic(name);
    }
    expect(await talk(proxy.port, 'ping', 3000)).toEqual({ kind: 'echo' });
  });

  it('timeout 0 blackholes the data; timeout N closes the connection without an answer', async () => {
    const blackhole = await proxy.addToxic({ type: 'timeout', name: 'blackhole', attributes: { timeout: 0 } });
    try {
      expect(await talk(proxy.port, 'anyone?', 800)).toEqual({ kind: 'silent', data: '' });
    } finally {
      await proxy.removeToxic(blackhole);
    }
    const closing = await proxy.addToxic({ type: 'timeout', attributes: { timeout: 200 } });
    try {
      const started = Date.now();
      expect(await talk(proxy.port, 'anyone?', 3000)).toEqual({ kind: 'closed', data: '' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    } finally {
      await proxy.removeToxic(closing);
    }
    expect(await talk(proxy.port, 'back', 3000)).toEqual({ kind: 'echo' });
  });

  it('latency delays the answer by about the configured time', async () => {
    const name = await proxy.addToxic({ type: 'latency', attributes: { latency: 300 } });
    try {
      const started = Date.now();
      expect(await talk(proxy.port, 'slow', 3000)).toEqual({ kind: 'echo' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    } finally {
      await proxy.removeToxic(name);
    }
  });

  it('a disabled proxy refuses connections and listens again on the same port once enabled', async () => {
    await proxy.disable();
    try {
      expect(await talk(proxy.port, 'x', 3000)).toEqual({ kind: 'refused' });
    } finally {
      await proxy.enable();
    }
    expect(await talk(proxy.port, 'again', 3000)).toEqual({ kind: 'echo' });
  });

  it('reports API errors with toxiproxy’s own message', async () => {
    await expect(proxy.removeToxic('no-such-toxic')).rejects.toThrow(/404/);
  });
});
