import { sleep } from '../../core/cleanup.js';
import { nodeList } from '../support/cluster-analysis.js';
import { createNodeDispatch, createNodeRoom, endNodeRoom } from '../support/cluster-nodes.js';
import { fail, notApplicable, pass, type Check, type CheckContext } from '../check.js';
import type { ClusterNode } from '../facts.js';

const POLL_MS = 200;
/** How long a listed agent may take to become ACTIVE (its WebRTC connection up) before its room is ended. */
const ACTIVE_GRACE_MS = 5_000;

interface ThroughNode {
  node: number;
  room?: string;
  dispatchId?: string;
  /** Run ms from the dispatch to the first ListParticipants that showed the agent. */
  joinedAfterMs?: number;
  identity?: string;
  /** Whether it reached state ACTIVE (media connected) before the doctor ended its room. */
  active?: boolean;
  /** AGENT participants under other names that came instead. */
  others: string[];
  error?: string;
}

/** Dispatches the user's agent through one node and polls that node until the agent joins or the wait is over. */
async function throughNode(ctx: CheckContext, node: ClusterNode, agentName: string): Promise<ThroughNode> {
  const out: ThroughNode = { node: node.index, others: [] };
  try {
    out.room = await createNodeRoom(ctx, node, 'cluster-agent', `your agent, dispatched through node ${node.index}`);
    const sentAtMs = ctx.timeline.clock.now();
    out.dispatchId = await createNodeDispatch(ctx, node, out.room, agentName, 'cluster agent');
    const until = performance.now() + ctx.options.waitMs + ACTIVE_GRACE_MS;
    let activeUntil: number | undefined;
    for (let i = 0; i < Math.ceil((ctx.options.waitMs + ACTIVE_GRACE_MS) / POLL_MS) + 2 && performance.now() < until; i++) {
      if (out.joinedAfterMs === undefined && performance.now() > until - ACTIVE_GRACE_MS) break;
      const participants = await node.api!.listParticipants(out.room);
      for (const p of participants) if (p.isAgent && p.agentName !== agentName && !out.others.includes(p.identity)) out.others.push(p.identity);
      const agent = participants.find((p) => p.isAgent && p.agentName === agentName);
      if (agent) {
        out.joinedAfterMs ??= Math.round(ctx.timeline.clock.now() - sentAtMs);
        out.identity = agent.identity;
        // Listed at its signal join; deleting the room before its media connection is up makes the SDK retry
        // the join with its token, which recreates the room (measured). Wait for ACTIVE, a bounded while.
        if (agent.state === 'ACTIVE') {
          out.active = true;
          break;
        }
        activeUntil ??= performance.now() + ACTIVE_GRACE_MS;
        if (performance.now() > activeUntil) break;
      }
      await sleep(POLL_MS, ctx.signal);
    }
    // End the session now, so the agent is free for the next node (cleanup deletes and verifies again).
    await endNodeRoom(node, out.room, out.dispatchId);
  } catch (err) {
    if (ctx.signal.aborted) throw err;
    out.error = (err as Error).message;
  }
  ctx.timeline.add('cluster', 'agent-through-node', { node: node.index, joined: out.joinedAfterMs !== undefined, joinedAfterMs: out.joinedAfterMs });
  return out;
}

export const clusterAgent: Check = {
  id: 'cluster.agent',
  title: 'Your agent joins when dispatched through every node',
  needs: ['settings.valid'],
  // After the matrix (its rooms are listed by cluster.groups) and after the single-URL agent checks.
  after: ['cluster.nodes', 'cluster.groups', 'agent.joined'],
  appliesTo: (o) => (o.nodes?.length ?? 0) > 0 && !!o.agentName,
  deadlineMs: (ctx) => (ctx.options.nodes?.length ?? 1) * (ctx.options.waitMs + ACTIVE_GRACE_MS + 3 * ctx.settings.timeoutMs) + 2_000,
  async run(ctx) {
    const agentName = ctx.options.agentName!;
    const nodes = (ctx.facts.cluster?.nodes ?? []).filter((n) => n.api);
    if (!nodes.length) return notApplicable('no node accepts these credentials (see cluster.nodes)');
    // One node after the other: an agent that takes one job at a time must not fail a node for being busy.
    const results: ThroughNode[] = [];
    for (const n of nodes) results.push(await throughNode(ctx, n, agentName));
    const joined = results.filter((r) => r.joinedAfterMs !== undefined);
    const missing = results.filter((r) => r.joinedAfterMs === undefined);
    const details = results.map((r) =>
      r.joinedAfterMs !== undefined
        ? `through node ${r.node}: ${r.identity} joined ${r.joinedAfterMs} ms after the dispatch (room ${r.room})${r.active ? '' : '; its media connection was not up yet when the doctor ended the room'}`
        : `through node ${r.node}: ${r.error ? `failed: ${r.error}` : `no agent "${agentName}" joined within ${Math.round(ctx.options.waitMs / 1000)} s`}${r.others.length ? `; other agents came: ${r.others.join(', ')}` : ''}`,
    );
    const evidence = { agentName, results, works: joined.map((r) => r.node), fails: missing.map((r) => r.node) };
    if (!missing.length) return pass(`"${agentName}" joined through every node: ${joined.map((r) => `node ${r.node} in ${r.joinedAfterMs} ms`).join(', ')}`, { details, evidence });
    const none = !joined.length;
    return fail(
      none
        ? `"${agentName}" joined through none of the nodes (${nodeList(missing.map((r) => r.node))}) within ${Math.round(ctx.options.waitMs / 1000)} s`
        : `"${agentName}" joins when dispatched through ${nodeList(joined.map((r) => r.node))}, never through ${nodeList(missing.map((r) => r.node))}`,
      {
        cause: none ? 'cluster-agent-never' : 'cluster-agent-some-nodes',
        details,
        evidence,
        fix: {
          text: none
            ? 'no node reaches a worker under this exact name: check that the agent runs, with this name, against one of these nodes (see the agent checks)'
            : `a room created through ${nodeList(missing.map((r) => r.node))} never reaches the agent's workers: ${missing.length === 1 ? 'that node is' : 'those nodes are'} not in the agent's cluster (same \`redis:\` address and db, same keys on every node), so users whose room lands there wait for an agent that never comes`,
        },
      },
    );
  },
};
