import { clusterGroups, crossGroupDeliveries, nodeList } from '../support/cluster-analysis.js';
import { failureOf } from '../support/cluster-nodes.js';
import { fail, notApplicable, pass, type Check } from '../check.js';

export const clusterGroupsCheck: Check = {
  id: 'cluster.groups',
  title: "The nodes form one cluster (each lists the rooms created through the others)",
  needs: ['settings.valid'],
  after: ['cluster.matrix'],
  appliesTo: (o) => (o.nodes?.length ?? 0) > 1,
  deadlineMs: (ctx) => ctx.settings.timeoutMs + 2_000,
  async run(ctx) {
    const cluster = ctx.facts.cluster;
    const nodes = (cluster?.nodes ?? []).filter((n) => n.api);
    const cells = (cluster?.cells ?? []).filter((c) => c.room);
    if (nodes.length < 2 || !cells.length) return notApplicable('fewer than two nodes could be asked (see cluster.nodes)');
    const roomsVia = new Map(cells.map((c) => [c.room!, c.via]));
    const names = [...roomsVia.keys()];
    const sees = new Map<number, Set<number>>();
    const errors: string[] = [];
    await Promise.all(
      nodes.map(async (n) => {
        try {
          const listed = await n.api!.listRooms(names);
          sees.set(n.index, new Set(listed.map((r) => roomsVia.get(r.name)).filter((v): v is number => v !== undefined)));
        } catch (err) {
          errors.push(`node ${n.index}: ${failureOf(err).message}`);
        }
      }),
    );
    const indexes = nodes.map((n) => n.index);
    const groups = clusterGroups(indexes, sees, cells);
    const seesLines = indexes.map((i) => {
      const others = [...(sees.get(i) ?? [])].filter((j) => j !== i).sort((a, b) => a - b);
      return sees.has(i) ? `node ${i} lists the rooms created through ${others.length ? nodeList(others) : 'no other node'}` : `node ${i}: ListRooms failed`;
    });
    const evidence = { groups, sees: indexes.map((i) => ({ node: i, seesRoomsOf: [...(sees.get(i) ?? [])].sort((a, b) => a - b) })), errors };
    if (groups.length === 1) return pass(`${nodeList(indexes)} form one cluster: each lists the rooms created through the others (one room store)`, { details: seesLines, evidence });
    const describe = groups.map((g) => (g.length === 1 ? `node ${g[0]} on its own` : nodeList(g))).join('; ');
    const largest = [...groups].sort((a, b) => b.length - a.length || a[0]! - b[0]!)[0]!;
    const outside = indexes.filter((i) => !largest.includes(i));
    // Another redis.db on the same Redis: rooms apart, yet dispatches cross (pub/sub ignores the db number).
    const crossing = crossGroupDeliveries(groups, cells);
    const otherDb = outside.filter((i) => crossing.some((c) => (c.worker === i && largest.includes(c.via)) || (c.via === i && largest.includes(c.worker))));
    const apart = outside.filter((i) => !otherDb.includes(i));
    const parts: string[] = [];
    if (apart.length) parts.push(`${nodeList(apart)} ${apart.length === 1 ? 'is' : 'are'} outside the cluster of ${nodeList(largest)}: no room or dispatch crosses`);
    if (otherDb.length) parts.push(`${nodeList(otherDb)} ${otherDb.length === 1 ? 'keeps its' : 'keep their'} own rooms although dispatches cross (the same Redis with another \`redis.db\`): a room created there is invisible to the others, and users or agents routed to another node do not reach it`);
    const fixes: string[] = [];
    if (apart.length) fixes.push(`give ${nodeList(apart)} the same \`redis:\` section (address and db) as ${nodeList(largest)}; a node with no \`redis:\` section runs as a cluster of one`);
    if (otherDb.length) fixes.push(`set \`redis.db\` on ${nodeList(otherDb)} to the others' database (Redis pub/sub, which carries dispatches, ignores the database number; rooms are stored per database)`);
    return fail(`the nodes keep ${groups.length} separate room stores (${describe}): ${parts.join('; ')}`, {
      cause: apart.length ? 'cluster-split' : 'cluster-split-rooms',
      details: [...seesLines, ...crossing.map((c) => `a dispatch through node ${c.via} reached the worker on node ${c.worker} (${c.latencyMs} ms), yet the two list different rooms`), ...errors],
      evidence: { ...evidence, largest, outside, apart, otherDb, crossing: crossing.map((c) => ({ worker: c.worker, via: c.via })) },
      fix: { text: `${fixes.join('; ')}; the same API keys on every node too. Then restart the nodes you changed` },
    });
  },
};
