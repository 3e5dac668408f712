import { describe, it, expect } from 'vitest';
import { runChecks, planChecks, unknownSelectors } from '../../src/checks/runner.js';
import { CleanupList } from '../../src/core/cleanup.js';
import { Timeline } from '../../src/core/timeline.js';
import { pass, fail, type Check, type CheckContext } from '../../src/checks/check.js';

function base(): Omit<CheckContext, 'signal'> {
  return {
    settings: { timeoutMs: 1000, filesRead: [], problems: [] },
    options: { waitMs: 1000 },
    timeline: new Timeline(),
    cleanup: new CleanupList(),
    facts: { server: {}, createdRooms: [] },
    runSignal: new AbortController().signal,
    api: () => {
      throw new Error('no api in unit tests');
    },
    log: () => {},
  };
}

const check = (id: string, needs: string[], run: Check['run'], extra: Partial<Check> = {}): Check => ({
  id,
  title: `title of ${id}`,
  needs,
  deadlineMs: 500,
  run,
  ...extra,
});

describe('runner', () => {
  it('skips dependents of a failed check, naming the check they needed, and keeps registry order', async () => {
    const checks = [
      check('a', [], async () => fail('a broke', { cause: 'x' })),
      check('b', ['a'], async () => pass('never')),
      check('c', ['b'], async () => pass('never')),
      check('d', [], async () => pass('independent')),
    ];
    const results = await runChecks(checks, base(), new AbortController().signal);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['a', 'fail'],
      ['b', 'skip'],
      ['c', 'skip'],
      ['d', 'pass'],
    ]);
    expect(results[1]!.skippedBecause).toBe('a');
    expect(results[2]!.skippedBecause).toBe('b');
    expect(results[1]!.summary).toContain('title of a');
  });

  it('turns a throw into error and a missed deadline into error, without dying', async () => {
    const checks = [
      check('throws', [], async () => {
        throw new Error('boom');
      }),
      check('hangs', [], () => new Promise(() => {}), { deadlineMs: 50 }),
      check('after', [], async () => pass('still runs')),
    ];
    const started = performance.now();
    const results = await runChecks(checks, base(), new AbortController().signal);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(results[0]).toMatchObject({ status: 'error', cause: 'check-crashed' });
    expect(results[0]!.summary).toContain('boom');
    expect(results[1]).toMatchObject({ status: 'error', cause: 'check-deadline' });
    expect(results[2]!.status).toBe('pass');
  });

  it('runs independent checks concurrently', async () => {
    const sleepy = (id: string) => check(id, [], () => new Promise((r) => setTimeout(() => r(pass(id)), 150)));
    const started = performance.now();
    await runChecks([sleepy('x'), sleepy('y'), sleepy('z')], base(), new AbortController().signal);
    expect(performance.now() - started).toBeLessThan(400);
  });

  it('after (a list, or chosen from the options): waits for those checks to settle, whatever their outcome', async () => {
    const order: string[] = [];
    const slow = (id: string) => check(id, [], async () => (await new Promise((r) => setTimeout(r, 30)), order.push(id), fail(`${id} done`, { cause: 'x' })));
    const fast = (id: string, after: Check['after']) => check(id, [], async () => (order.push(id), pass(`${id} done`)), { after });
    const withProbeName = { ...base(), options: { waitMs: 1000, probeName: 'p' } };
    await runChecks([slow('first'), fast('waits', (o) => (o.probeName ? ['first'] : []))], withProbeName, new AbortController().signal);
    expect(order).toEqual(['first', 'waits']);
    order.length = 0;
    await runChecks([slow('first'), fast('free', (o) => (o.probeName ? ['first'] : []))], base(), new AbortController().signal);
    expect(order).toEqual(['free', 'first']);
    order.length = 0;
    await runChecks([slow('first'), fast('listed', ['first'])], base(), new AbortController().signal);
    expect(order).toEqual(['first', 'listed']);
  });

  it('runs the cleanup check last, after failures and after an interrupt', async () => {
    const order: string[] = [];
    const interrupt = new AbortController();
    const checks = [
      check('slow', [], async (ctx) => {
        order.push('slow-start');
        await new Promise((r) => setTimeout(r, 100));
        interrupt.abort();
        await new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted'))));
        return pass('unreachable');
      }),
      check('cleanup', [], async () => {
        order.push('cleanup');
        return pass('cleaned');
      }, { runsLast: true }),
    ];
    const results = await runChecks(checks, base(), interrupt.signal);
    expect(order).toEqual(['slow-start', 'cleanup']);
    expect(results[0]).toMatchObject({ status: 'error', cause: 'interrupted' });
    expect(results[1]!.status).toBe('pass');
  });

  it('--only pulls in what the selected checks need; --skip marks and cascades; unknown ids are reported', async () => {
    const registry = [
      check('settings.valid', [], async () => pass('ok')),
      check('server.reachable', ['settings.valid'], async () => pass('ok')),
      check('probe.registered', ['server.reachable'], async () => pass('ok')),
      check('probe.dispatched', ['probe.registered'], async () => pass('ok')),
      check('rooms.listed', ['server.reachable'], async () => pass('ok')),
    ];
    const plan = planChecks(registry, { waitMs: 1 }, { only: ['probe.registered'] });
    expect(plan.map((c) => c.id)).toEqual(['settings.valid', 'server.reachable', 'probe.registered']);
    const results = await runChecks(planChecks(registry, { waitMs: 1 }), base(), new AbortController().signal, { skip: ['probe.registered'] });
    expect(results.find((r) => r.id === 'probe.registered')).toMatchObject({ status: 'skip', skippedBecause: '--skip' });
    expect(results.find((r) => r.id === 'probe.dispatched')).toMatchObject({ status: 'skip', skippedBecause: 'probe.registered' });
    expect(unknownSelectors(registry, { only: ['probe', 'nope'], skip: ['server.reachable'] })).toEqual(['nope']);
  });
});
