import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { clusterMatrix } from '../../src/checks/cluster/matrix.js';
import { clusterGroupsCheck } from '../../src/checks/cluster/groups.js';
import type { ClusterNode } from '../../src/checks/facts.js';
import type { RoomView, ServerApi } from '../../src/livekit/server-api.js';
import type { JobRecord, ProbeWorker } from '../../src/livekit/worker/index.js';
import { fakeContext, job } from './checks/fake-context.js';

/**
 * A pretend deployment: each node belongs to a Redis "store" (address and db); a room created through a node
 * is listed by every node of its store, and a dispatch reaches a worker whose node shares the message bus
 * (by default the store; Redis pub/sub ignores the db number, so another db shares the bus).
 */
class FakeDeployment {
  readonly rooms = new Map<string, { store: string; room: RoomView }>();
  readonly workers: { bus: string; name: string; worker: FakeWorker }[] = [];
  deleted: string[] = [];
  readonly dispatchedAt: number[] = [];
  readonly dispatchesDeleted: string[] = [];
  /** The run clock job requests are stamped with (the context's). */
  now: () => number = () => 0;

  node(index: number, store: string, opts: { worker?: boolean; bus?: string } = {}): ClusterNode {
    const bus = opts.bus ?? store;
    const name = `livekit-doctor-probe-node${index}`;
    const worker = new FakeWorker();
    if (opts.worker !== false) this.workers.push({ bus, name, worker });
    const api = {
      createRoom: async (room: string) => {
        const view: RoomView = { name: room, sid: `RM_${index}`, numParticipants: 0, numPublishers: 0, createdAtMs: 1, emptyTimeoutS: 60, departureTimeoutS: 10, metadata: '' };
        this.rooms.set(room, { store, room: view });
        return view;
      },
      createDispatch: async (room: string, agentName: string) => {
        this.dispatchedAt.push(this.now());
        for (const w of this.workers) if (w.bus === bus && w.name === agentName) setTimeout(() => w.worker.offer(job({ jobId: `AJ_${room}`, room, requestAtMs: this.now() })), 5);
        return { id: `AD_${room}`, agentName, room, metadata: '', jobs: [] };
      },
      listRooms: async (names?: string[]) => [...this.rooms.values()].filter((r) => r.store === store && (!names || names.includes(r.room.name))).map((r) => r.room),
      deleteDispatch: async (id: string) => {
        this.dispatchesDeleted.push(id);
      },
      deleteRoom: async (room: string) => {
        this.deleted.push(room);
        this.rooms.delete(room);
      },
    } as unknown as ServerApi;
    return { index, url: `ws://127.0.0.1:${7880 + index}`, credentials: 'accepted', nodeId: `ND_${index}`, api, probeName: name, ...(opts.worker !== false ? { probe: worker as unknown as ProbeWorker } : {}) };
  }
}

class FakeWorker extends EventEmitter {
  readonly jobs = new Map<string, JobRecord>();
  closed?: unknown;
  offer(j: JobRecord) {
    this.jobs.set(j.jobId, j);
    this.emit('job', j);
  }
}

function context(d: FakeDeployment, nodes: ClusterNode[], waitMs = 300) {
  const ctx = fakeContext({ options: { nodes: nodes.map((n) => n.url), waitMs }, facts: { cluster: { nodes, cells: [] } } });
  d.now = () => ctx.timeline.clock.now();
  return ctx;
}

describe('cluster.matrix and cluster.groups on a pretend deployment', () => {
  it('two nodes on one Redis: every cell delivered, one cluster, and cleanup deletes every room through its node and verifies it', async () => {
    const d = new FakeDeployment();
    const ctx = context(d, [d.node(1, 'redis-a'), d.node(2, 'redis-a')]);
    const matrix = await clusterMatrix.run(ctx);
    expect(matrix.status).toBe('pass');
    expect(matrix.summary).toMatch(/^4 of 4 dispatches reached/);
    const groups = await clusterGroupsCheck.run(ctx);
    expect(groups.status).toBe('pass');
    expect(groups.evidence?.groups).toEqual([[1, 2]]);
    const steps = await ctx.cleanup.runAll();
    expect(steps.map((s) => [s.label, s.ok])).toEqual([
      ['delete the rooms created through node 2', true],
      ['delete the rooms created through node 1', true],
    ]);
    expect(d.rooms.size).toBe(0);
    expect(d.deleted).toHaveLength(4);
    // Dispatches go before their rooms, so the server restarts no job when a room goes.
    expect(d.dispatchesDeleted).toHaveLength(4);
  });

  it('a third node on its own Redis: its row and column fail, the others pass, and it is named as a cluster of its own', async () => {
    const d = new FakeDeployment();
    const ctx = context(d, [d.node(1, 'redis-a'), d.node(2, 'redis-a'), d.node(3, 'redis-b')]);
    const matrix = await clusterMatrix.run(ctx);
    expect(matrix.status).toBe('fail');
    expect(matrix.cause).toBe('cluster-dispatch-not-crossing');
    expect(matrix.evidence?.isolatedVia).toEqual([3]);
    expect(matrix.evidence?.isolatedWorkers).toEqual([3]);
    const cells = ctx.facts.cluster!.cells;
    expect(cells.filter((c) => c.delivered).map((c) => `${c.worker}/${c.via}`).sort()).toEqual(['1/1', '1/2', '2/1', '2/2', '3/3']);
    expect(matrix.details?.[3]).toMatch(/^node 3\s+✘ no job\s+✘ no job\s+✔ \d+ ms$/);
    const groups = await clusterGroupsCheck.run(ctx);
    expect(groups.status).toBe('fail');
    expect(groups.cause).toBe('cluster-split');
    expect(groups.evidence?.groups).toEqual([[1, 2], [3]]);
    expect(groups.summary).toContain('node 3 is outside the cluster of node 1 and node 2: no room or dispatch crosses');
    await ctx.cleanup.runAll();
    expect(d.rooms.size).toBe(0);
  });

  it('another redis.db on the same Redis: every cell delivers, but the room stores differ and that is named', async () => {
    const d = new FakeDeployment();
    const ctx = context(d, [d.node(1, 'redis/0', { bus: 'redis' }), d.node(2, 'redis/0', { bus: 'redis' }), d.node(3, 'redis/1', { bus: 'redis' })]);
    expect((await clusterMatrix.run(ctx)).status).toBe('pass');
    const groups = await clusterGroupsCheck.run(ctx);
    expect(groups).toMatchObject({ status: 'fail', cause: 'cluster-split-rooms', evidence: { groups: [[1, 2], [3]], apart: [], otherDb: [3] } });
    expect(groups.summary).toContain('node 3 keeps its own rooms although dispatches cross');
    await ctx.cleanup.runAll();
  });

  it('a node without a worker is still dispatched through, and nothing is measured for its row', async () => {
    const d = new FakeDeployment();
    const ctx = context(d, [d.node(1, 'redis-a'), d.node(2, 'redis-a', { worker: false })]);
    const matrix = await clusterMatrix.run(ctx);
    expect(matrix.status).toBe('pass');
    expect(ctx.facts.cluster!.cells.map((c) => `${c.worker}/${c.via}`)).toEqual(['1/1', '1/2']);
    await ctx.cleanup.runAll();
  });

  it('the matrix waits in parallel: all 9 dispatches are out before the first cell ends', async () => {
    const d = new FakeDeployment();
    const ctx = context(d, [d.node(1, 'a'), d.node(2, 'b'), d.node(3, 'c')], 400);
    const matrix = await clusterMatrix.run(ctx);
    expect(matrix.evidence?.isolatedVia).toEqual([1, 2, 3]);
    const dispatched = d.dispatchedAt;
    const ended = ctx.timeline.events.filter((e) => e.type === 'matrix-cell').map((e) => e.atMs);
    expect(dispatched).toHaveLength(9);
    expect(Math.max(...dispatched)).toBeLessThanOrEqual(Math.min(...ended));
    await ctx.cleanup.runAll();
  });
});
