import { mapLimited } from '../../core/map-limited.js';
import { createNodeDispatch, createNodeRoom, RoomJobWatch } from '../support/cluster-nodes.js';
import { matrixIsolation, matrixLines, nodeList } from '../support/cluster-analysis.js';
import { fail, notApplicable, pass, type Check, type CheckContext } from '../check.js';
import type { ClusterNode, MatrixCell } from '../facts.js';

/** Cells in flight at once: 3 nodes (9 cells) run side by side; more nodes queue. */
export const MATRIX_CONCURRENCY = 9;

async function runCell(ctx: CheckContext, worker: ClusterNode, via: ClusterNode, watch: RoomJobWatch): Promise<MatrixCell> {
  const cell: MatrixCell = { worker: worker.index, via: via.index, delivered: false };
  try {
    cell.room = await createNodeRoom(ctx, via, 'cluster', `cluster matrix: worker on node ${worker.index}, dispatched through node ${via.index}`);
    const sentAtMs = ctx.timeline.clock.now();
    cell.dispatchId = await createNodeDispatch(ctx, via, cell.room, worker.probeName!, 'cluster matrix');
    const job = await watch.wait(cell.room, ctx.options.waitMs, ctx.signal);
    if (job) {
      cell.delivered = true;
      cell.latencyMs = Math.round(job.requestAtMs - sentAtMs);
    }
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    cell.error = (err as Error).message;
  }
  ctx.timeline.add('cluster', 'matrix-cell', { worker: cell.worker, via: cell.via, delivered: cell.delivered, latencyMs: cell.latencyMs });
  return cell;
}

const range = (values: number[]) => (values.length ? `${Math.min(...values)}–${Math.max(...values)} ms` : '');

export const clusterMatrix: Check = {
  id: 'cluster.matrix',
  title: "A worker on each node gets jobs dispatched through every node's API",
  needs: ['settings.valid'],
  after: ['cluster.nodes'],
  appliesTo: (o) => (o.nodes?.length ?? 0) > 0,
  deadlineMs: (ctx) => {
    const n = ctx.options.nodes?.length ?? 1;
    return Math.ceil((n * n) / MATRIX_CONCURRENCY) * (ctx.options.waitMs + 2 * ctx.settings.timeoutMs) + 3_000;
  },
  async run(ctx) {
    const nodes = ctx.facts.cluster?.nodes ?? [];
    const workers = nodes.filter((n) => n.probe);
    const vias = nodes.filter((n) => n.api);
    if (!workers.length || !vias.length) return notApplicable('no node has both a registered probe worker and an API that accepts these credentials');
    const watches = new Map(workers.map((n) => [n.index, new RoomJobWatch(n.probe!)]));
    const pairs = workers.flatMap((w) => vias.map((v) => [w, v] as const));
    let cells: MatrixCell[];
    try {
      cells = await mapLimited(pairs, MATRIX_CONCURRENCY, ([w, v]) => runCell(ctx, w, v, watches.get(w.index)!));
    } finally {
      for (const w of watches.values()) w.dispose();
    }
    ctx.facts.cluster!.cells = cells;
    const indexes = [...new Set([...workers, ...vias].map((n) => n.index))].sort((a, b) => a - b);
    const iso = matrixIsolation(cells);
    const lines = matrixLines(indexes, cells);
    const skipped = nodes.filter((n) => !n.probe || !n.api).map((n) => n.index);
    const note = skipped.length ? [`not in the matrix: ${nodeList(skipped)} (see cluster.nodes)`] : [];
    const errors = cells.filter((c) => c.error).map((c) => `worker on node ${c.worker}, through node ${c.via}: ${c.error}`);
    const evidence = { cells, indexes, isolatedVia: iso.via, isolatedWorkers: iso.workers, waitedMs: ctx.options.waitMs };
    const latencies = cells.filter((c) => c.delivered).map((c) => c.latencyMs ?? 0);
    if (!iso.undelivered.length && !errors.length) {
      return pass(`${iso.delivered} of ${iso.measured} dispatches reached the worker on their node (${indexes.length}×${indexes.length}); job request after ${range(latencies)}`, { details: [...lines, ...note], evidence });
    }
    const parts: string[] = [];
    for (const j of iso.via) parts.push(`dispatches through node ${j} reach no worker on the other nodes`);
    for (const i of iso.workers) parts.push(`the worker on node ${i} gets no job dispatched through the other nodes`);
    const missed = iso.undelivered.map((c) => `node ${c.via} → worker on node ${c.worker}`);
    const summary = `${iso.undelivered.length} of ${iso.measured} dispatches never reached their worker within ${Math.round(ctx.options.waitMs / 1000)} s${parts.length ? `: ${parts.join('; ')}` : ` (${missed.join(', ')})`}`;
    return fail(errors.length && !iso.undelivered.length ? `${errors.length} matrix cell(s) could not be measured: ${errors[0]}` : summary, {
      cause: iso.undelivered.length ? 'cluster-dispatch-not-crossing' : 'cluster-matrix-api-error',
      details: [...lines, ...note, ...errors.slice(0, 5)],
      evidence,
      fix: {
        text: 'a dispatch crosses nodes over Redis: give every node the same `redis:` address and database (redis.db) and the same API keys, then restart the nodes that differ; the server log of a node outside shows no "redis" at start-up',
      },
    });
  },
};
