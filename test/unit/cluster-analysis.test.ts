import { describe, expect, it } from 'vitest';
import { clusterGroups, crossGroupDeliveries, matrixIsolation, matrixLines, nodeList } from '../../src/checks/support/cluster-analysis.js';
import type { MatrixCell } from '../../src/checks/facts.js';
import { nodesNeedConfirmation, parseNodes } from '../../src/commands/nodes.js';
import { UsageError } from '../../src/core/errors.js';

const cell = (worker: number, via: number, delivered: boolean, latencyMs = 250): MatrixCell => ({ worker, via, room: `r${worker}${via}`, dispatchId: `AD_${worker}${via}`, delivered, ...(delivered ? { latencyMs } : {}) });

/** Cells of a deployment where `store[i]` is node i's Redis. */
const cells = (store: string[]): MatrixCell[] => store.flatMap((a, i) => store.map((b, j) => cell(i + 1, j + 1, a === b)));

describe('matrix analysis', () => {
  it('a healthy cluster isolates nobody', () => {
    expect(matrixIsolation(cells(['r', 'r', 'r']))).toMatchObject({ via: [], workers: [], undelivered: [], delivered: 9, measured: 9 });
  });

  it('a node on another Redis is isolated both ways; the others are not', () => {
    const iso = matrixIsolation(cells(['r', 'r', 'x']));
    expect(iso.via).toEqual([3]);
    expect(iso.workers).toEqual([3]);
    expect(iso.undelivered.map((c) => `${c.worker}/${c.via}`)).toEqual(['1/3', '2/3', '3/1', '3/2']);
  });

  it('a node whose dispatches never leave it while its worker hears the others is isolated as a dispatcher only', () => {
    const list = cells(['r', 'r', 'r']).map((c) => (c.via === 2 && c.worker !== 2 ? { ...c, delivered: false, latencyMs: undefined } : c));
    expect(matrixIsolation(list)).toMatchObject({ via: [2], workers: [] });
  });

  it('cells whose room or dispatch could not be created are not counted as measured', () => {
    const list = [cell(1, 1, true), { worker: 1, via: 2, delivered: false, error: 'CreateRoom: 500' }];
    expect(matrixIsolation(list)).toMatchObject({ via: [], measured: 1, undelivered: [] });
  });

  it('groups follow shared rooms and delivered cells', () => {
    const sees = new Map([[1, new Set([1, 2])], [2, new Set([1, 2])], [3, new Set([3])]]);
    expect(clusterGroups([1, 2, 3], sees, [])).toEqual([[1, 2], [3]]);
    // A delivered cross-node dispatch places a node whose ListRooms failed...
    expect(clusterGroups([1, 2, 3], new Map([[1, new Set([1])], [2, new Set([2])]]), [cell(3, 1, true)])).toEqual([[1, 3], [2]]);
    // ...but does not join two nodes whose room stores differ (another redis.db: pub/sub still crosses).
    const split = clusterGroups([1, 2, 3], sees, [cell(3, 1, true), cell(1, 3, true)]);
    expect(split).toEqual([[1, 2], [3]]);
    expect(crossGroupDeliveries(split, [cell(3, 1, true), cell(1, 2, true), cell(2, 3, false)]).map((c) => `${c.worker}/${c.via}`)).toEqual(['3/1']);
    expect(clusterGroups([1, 2, 3, 4], new Map([[4, new Set([1])], [3, new Set([2])]]), [])).toEqual([[1, 4], [2, 3]]);
  });

  it('the matrix lines are a grid: rows are workers, columns the dispatching node', () => {
    const lines = matrixLines([1, 2], [cell(1, 1, true, 201), cell(1, 2, false), cell(2, 1, false), { worker: 2, via: 2, delivered: false, error: 'x' }]);
    expect(lines).toEqual([
      'worker on ↓ · dispatched through →  node 1    node 2',
      'node 1                              ✔ 201 ms  ✘ no job',
      'node 2                              ✘ no job  ✘ API error',
    ]);
    expect(nodeList([1, 2, 3])).toBe('node 1, node 2 and node 3');
  });
});

describe('--node values', () => {
  it('accepts ws, wss, http and https addresses', () => {
    expect(parseNodes(['ws://127.0.0.1:7880', 'https://lk-2.internal'])).toEqual(['ws://127.0.0.1:7880', 'https://lk-2.internal']);
  });

  it('refuses a value without a scheme, with a query, a duplicate (even spelled differently) and more than 10', () => {
    expect(() => parseNodes(['127.0.0.1:7880'])).toThrow(UsageError);
    expect(() => parseNodes(['10.0.0.1:7880'])).toThrow(/not a URL with a scheme/);
    expect(() => parseNodes(['ws://a:7880/?x=1'])).toThrow(/query or fragment/);
    expect(() => parseNodes(['ws://a:7880', 'http://a:7880/'])).toThrow(/same address as --node "ws:\/\/a:7880"/);
    expect(() => parseNodes(Array.from({ length: 11 }, (_, i) => `ws://127.0.0.1:${7000 + i}`))).toThrow(/at most 10 nodes/);
  });

  it('asks first only for more than 3 nodes when one is not on this machine', () => {
    const local = (n: number) => Array.from({ length: n }, (_, i) => `ws://127.0.0.1:${7000 + i}`);
    expect(nodesNeedConfirmation(local(8))).toBe(false);
    expect(nodesNeedConfirmation(['ws://10.0.0.1:7880', 'ws://10.0.0.2:7880', 'ws://10.0.0.3:7880'])).toBe(false);
    expect(nodesNeedConfirmation([...local(3), 'wss://lk.example.com'])).toBe(true);
    expect(nodesNeedConfirmation([...local(3), 'ws://localhost:9999'])).toBe(false);
  });
});
