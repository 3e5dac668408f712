import type { ClusterNode, MatrixCell } from '../facts.js';

/** How the report names a node: `node 2 (ws://10.0.0.2:7880)`. */
export function nodeLabel(node: Pick<ClusterNode, 'index' | 'url'>): string {
  return `node ${node.index} (${node.url})`;
}

/** `node 1, node 2 and node 3`. */
export function nodeList(indexes: number[]): string {
  const names = indexes.map((i) => `node ${i}`);
  return names.length <= 1 ? (names[0] ?? 'no node') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export interface MatrixIsolation {
  /** Nodes whose dispatches reached no worker on any other node (while some cross-node cell was measured). */
  via: number[];
  /** Nodes whose worker received no job dispatched through any other node. */
  workers: number[];
  undelivered: MatrixCell[];
  delivered: number;
  measured: number;
}

/** Which nodes' dispatches never leave the node, and which nodes' workers never hear from the others. Pure. */
export function matrixIsolation(cells: MatrixCell[]): MatrixIsolation {
  const measured = cells.filter((c) => c.room !== undefined && c.dispatchId !== undefined);
  const cross = measured.filter((c) => c.worker !== c.via);
  const indexes = [...new Set(cells.flatMap((c) => [c.worker, c.via]))].sort((a, b) => a - b);
  const none = (list: MatrixCell[]) => list.length > 0 && list.every((c) => !c.delivered);
  return {
    via: indexes.filter((j) => none(cross.filter((c) => c.via === j))),
    workers: indexes.filter((i) => none(cross.filter((c) => c.worker === i))),
    undelivered: measured.filter((c) => !c.delivered),
    delivered: measured.filter((c) => c.delivered).length,
    measured: measured.length,
  };
}

/**
 * The clusters the nodes form, by their room store: two nodes are together when one lists a room created
 * through the other (they share Redis and its database). A node whose ListRooms failed is placed by the
 * matrix instead (a dispatch through one node reached a worker on the other). Groups are sorted by their
 * lowest node; a node with no evidence is on its own. Pure.
 */
export function clusterGroups(indexes: number[], sees: Map<number, Set<number>>, cells: MatrixCell[]): number[][] {
  const parent = new Map(indexes.map((i) => [i, i]));
  const find = (i: number): number => {
    let root = i;
    for (let guard = 0; parent.get(root) !== root && guard < indexes.length; guard++) root = parent.get(root)!;
    return root;
  };
  const join = (a: number, b: number) => {
    if (!parent.has(a) || !parent.has(b)) return;
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  };
  for (const [a, seen] of sees) for (const b of seen) join(a, b);
  for (const c of cells) if (c.delivered && (!sees.has(c.worker) || !sees.has(c.via))) join(c.worker, c.via);
  const groups = new Map<number, number[]>();
  for (const i of indexes) {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), i]);
  }
  return [...groups.values()].map((g) => g.sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!);
}

/**
 * Dispatches that cross between two room-store groups: the nodes share Redis's message bus (pub/sub ignores
 * the database number) but not its rooms, which is what a different `redis.db` on the same Redis does. Pure.
 */
export function crossGroupDeliveries(groups: number[][], cells: MatrixCell[]): MatrixCell[] {
  const groupOf = new Map(groups.flatMap((g, k) => g.map((i) => [i, k] as const)));
  return cells.filter((c) => c.delivered && groupOf.has(c.worker) && groupOf.has(c.via) && groupOf.get(c.worker) !== groupOf.get(c.via));
}

/** The matrix as monospace lines: rows are the worker's node, columns the node whose API dispatched. */
export function matrixLines(indexes: number[], cells: MatrixCell[]): string[] {
  const cellText = (worker: number, via: number): string => {
    const c = cells.find((x) => x.worker === worker && x.via === via);
    if (!c) return '–';
    if (c.delivered) return `✔ ${c.latencyMs ?? '?'} ms`;
    if (c.error) return '✘ API error';
    return '✘ no job';
  };
  const head = ['worker on ↓ · dispatched through →', ...indexes.map((j) => `node ${j}`)];
  const rows = indexes.map((i) => [`node ${i}`, ...indexes.map((j) => cellText(i, j))]);
  const widths = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (cols: string[]) => cols.map((c, k) => c.padEnd(widths[k]!)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)];
}
