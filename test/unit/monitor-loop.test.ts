import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MonitorLoop, type RunOutcome } from '../../src/monitor/loop.js';
import { RunProcessPool } from '../../src/monitor/pool.js';
import { liveness, readiness } from '../../src/monitor/http.js';
import { parseInterval, parseListen } from '../../src/monitor/duration.js';
import { UsageError } from '../../src/core/errors.js';
import type { Report } from '../../src/core/model.js';
import { passingReport } from './fixtures/monitor-reports.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('monitor loop', () => {
  it('never overlaps two runs of one target, and a slow target does not hold up another', async () => {
    const active = new Map<string, number>();
    let maxActive = 0;
    const ended: RunOutcome[] = [];
    let fastDone!: () => void;
    const fastFinished = new Promise<void>((r) => (fastDone = r));
    let slowGaveUp = false;
    const loop = new MonitorLoop({
      targets: [{ name: 'slow', intervalMs: 50 }, { name: 'fast', intervalMs: 50 }],
      signal: new AbortController().signal,
      maxRuns: 4,
      async runOnce(name) {
        active.set(name, (active.get(name) ?? 0) + 1);
        maxActive = Math.max(maxActive, active.get(name)!);
        // The slow target's first run lasts until the fast target has done all its runs: if one target's
        // run held up the other's loop, this would wait for the 10 s cap instead.
        if (name === 'slow' && active.get(name) === 1 && !ended.some((o) => o.target === 'slow')) {
          slowGaveUp = await Promise.race([fastFinished.then(() => false), sleep(10_000).then(() => true)]);
        } else await sleep(5);
        active.set(name, active.get(name)! - 1);
        return passingReport();
      },
      onRunEnd: (o) => {
        ended.push(o);
        if (o.target === 'fast' && o.run === 4) fastDone();
      },
    });
    await loop.run();
    expect(slowGaveUp).toBe(false);
    expect(maxActive).toBe(1);
    const order = ended.map((o) => `${o.target}#${o.run}`);
    expect(order.filter((o) => o.startsWith('fast'))).toEqual(['fast#1', 'fast#2', 'fast#3', 'fast#4']);
    expect(order.filter((o) => o.startsWith('slow'))).toEqual(['slow#1', 'slow#2', 'slow#3', 'slow#4']);
    expect(order.indexOf('fast#4')).toBeLessThan(order.indexOf('slow#1'));
    expect(loop.progress.get('slow')).toMatchObject({ runs: 4, completed: 4, done: true });
  });

  it('goes on after a run that throws, and reports late starts when a run outlasts the interval', async () => {
    const late: boolean[] = [];
    const ended: RunOutcome[] = [];
    let n = 0;
    const loop = new MonitorLoop({
      targets: [{ name: 'eu', intervalMs: 100 }],
      signal: new AbortController().signal,
      maxRuns: 3,
      async runOnce(): Promise<Report> {
        n++;
        if (n === 1) throw new Error('boom');
        if (n === 2) await sleep(160);
        return passingReport();
      },
      onRunStart: (_t, _r, isLate) => late.push(isLate),
      onRunEnd: (o) => ended.push(o),
    });
    await loop.run();
    expect(ended.map((o) => (o.report ? 'report' : (o.error as Error).message))).toEqual(['boom', 'report', 'report']);
    expect(late).toEqual([false, false, true]);
  });

  it('stops when the signal aborts: no new run, the current one is awaited', async () => {
    const controller = new AbortController();
    let finished = 0;
    const loop = new MonitorLoop({
      targets: [{ name: 'eu', intervalMs: 60_000 }],
      signal: controller.signal,
      async runOnce(_name, signal) {
        setTimeout(() => controller.abort(), 20);
        // Like runDoctor: on abort it still finishes its cleanup before returning.
        await new Promise((r) => signal.addEventListener('abort', r, { once: true }));
        await sleep(30);
        finished++;
        return passingReport();
      },
    });
    const started = performance.now();
    await loop.run();
    expect(finished).toBe(1);
    // Not waiting out the 60 s interval.
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(loop.progress.get('eu')).toMatchObject({ runs: 1, completed: 1, done: true });
  });
});

describe('monitor health answers', () => {
  const health = (progress: [string, { runs: number; completed: number; runningSince?: number; done: boolean }][], stopping = false) => ({
    progress: new Map(progress),
    stopping: () => stopping,
    stallAfterMs: () => 1000,
  });

  it('/readyz waits for every target\u2019s first completed run', () => {
    expect(readiness(health([['eu', { runs: 1, completed: 0, runningSince: 0, done: false }], ['us', { runs: 1, completed: 1, done: false }]]), 10)).toMatchObject({ ok: false, body: { status: 'waiting' } });
    expect(readiness(health([['eu', { runs: 2, completed: 1, runningSince: 0, done: false }], ['us', { runs: 1, completed: 1, done: false }]]), 10)).toMatchObject({ ok: true, body: { status: 'ok' } });
  });

  it('/healthz fails for a run stuck past its limit and while stopping', () => {
    expect(liveness(health([['eu', { runs: 1, completed: 0, runningSince: 0, done: false }]]), 999).ok).toBe(true);
    expect(liveness(health([['eu', { runs: 1, completed: 0, runningSince: 0, done: false }]]), 1001)).toMatchObject({ ok: false, body: { status: 'stalled', targets: { eu: { running: true, runningForMs: 1001 } } } });
    expect(liveness(health([['eu', { runs: 1, completed: 1, done: false }]], true)).body.status).toBe('stopping');
  });
});

describe('monitor flags', () => {
  it('reads intervals with units, plain seconds being the default', () => {
    expect(['60s', '5m', '1h', '500ms', '0.25s', '2', 30, '.5s'].map((v) => parseInterval(v, '--interval'))).toEqual([60_000, 300_000, 3_600_000, 500, 250, 2000, 30_000, 500]);
    for (const bad of ['', '5x', '-1s', '50ms', '25h', '1e3', 's']) expect(() => parseInterval(bad, '--interval')).toThrow(UsageError);
  });

  it('reads host:port listen addresses', () => {
    expect(parseListen('127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListen('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseListen(':9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(parseListen('localhost:80')).toEqual({ host: 'localhost', port: 80 });
    for (const bad of ['9464', '127.0.0.1', '127.0.0.1:99999', 'a b:1', '[::1:1']) expect(() => parseListen(bad)).toThrow(UsageError);
  });
});

describe('monitor run process pool', () => {
  const entry = fileURLToPath(new URL('./fixtures/fake-run-process.mjs', import.meta.url));
  const input = (target: string) => ({ target, globals: {}, options: { waitMs: 1000 }, selection: {}, version: '0.1.0' });
  const pidOf = (r: { report: unknown }) => (r.report as { pid: number }).pid;

  it('replaces the run process after --runs-per-process runs, and the old ones exit', async () => {
    const pool = new RunProcessPool(2, entry);
    const signal = new AbortController().signal;
    try {
      const pids: number[] = [];
      for (let i = 0; i < 5; i++) pids.push(pidOf(await pool.run(input('eu'), signal, 10_000)));
      expect(pids[0]).toBe(pids[1]);
      expect(pids[2]).toBe(pids[3]);
      expect(new Set(pids).size).toBe(3);
      expect((await pool.run(input('eu'), signal, 10_000)).rssBytes).toBe(123);
    } finally {
      await pool.close();
    }
    expect(pool.pids()).toEqual([]);
  });

  it('a spare process that died while idle costs no run: the run goes to a fresh one', async () => {
    const pool = new RunProcessPool(1, entry);
    const signal = new AbortController().signal;
    try {
      const first = pidOf(await pool.run(input('eu'), signal, 10_000));
      const spares = pool.pids().filter((pid) => pid !== first);
      expect(spares).toHaveLength(1);
      process.kill(spares[0]!, 'SIGKILL');
      // Whether or not the pool has seen the death yet, the run is answered by a live process.
      const next = pidOf(await pool.run(input('eu'), signal, 10_000));
      expect([first, spares[0]]).not.toContain(next);
    } finally {
      await pool.close();
    }
  });

  it('a process that dies fails only its own runs; an abort reaches the run; a hung run hits its deadline', async () => {
    const pool = new RunProcessPool(100, entry);
    try {
      const signal = new AbortController().signal;
      const before = pidOf(await pool.run(input('eu'), signal, 10_000));
      await expect(pool.run(input('crash'), signal, 10_000)).rejects.toThrow(/the run process exited \(SIGKILL\) before the run ended/);
      const after = pidOf(await pool.run(input('eu'), signal, 10_000));
      expect(after).not.toBe(before);
      const controller = new AbortController();
      const slow = pool.run(input('slow'), controller.signal, 10_000);
      controller.abort();
      expect((await slow).report).toMatchObject({ aborted: true });
      await expect(pool.run(input('slow'), signal, 300)).rejects.toThrow(/did not end within 0.3 s; its process was stopped/);
    } finally {
      await pool.close();
    }
  });
});
