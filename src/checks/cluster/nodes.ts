import { maskKey } from '../../core/redact.js';
import { inspectNode } from '../support/cluster-nodes.js';
import { nodeLabel, nodeList } from '../support/cluster-analysis.js';
import { fail, pass, warn, type Check } from '../check.js';
import type { ClusterNode } from '../facts.js';

/** What the report keeps of a node: no worker or API object. */
export function nodeEvidence(n: ClusterNode) {
  return { index: n.index, url: n.url, httpStatus: n.httpStatus, credentials: n.credentials, nodeId: n.nodeId, region: n.region, version: n.version, workerId: n.workerId, probeName: n.probeName, failure: n.failure };
}

function describe(n: ClusterNode): string {
  if (n.failure) return `${nodeLabel(n)}: ${n.failure.message}`;
  return `${nodeLabel(n)}: ${n.nodeId ?? 'node id unknown'}, v${n.version ?? '?'}, region ${n.region || '(none)'}, probe worker ${n.workerId}`;
}

export const clusterNodes: Check = {
  id: 'cluster.nodes',
  title: 'Every node (--node) answers with these credentials',
  needs: ['settings.valid'],
  appliesTo: (o) => (o.nodes?.length ?? 0) > 0,
  deadlineMs: (ctx) => 2 * ctx.settings.timeoutMs + Math.min(ctx.options.waitMs, 10_000) + 3_000,
  async run(ctx) {
    const nodes = await Promise.all(ctx.options.nodes!.map((url, i) => inspectNode(ctx, url, i + 1)));
    ctx.facts.cluster = { nodes, cells: [] };
    const key = maskKey(ctx.settings.apiKey!.value);
    const rejected = nodes.filter((n) => n.credentials === 'rejected');
    const unreachable = nodes.filter((n) => n.credentials === 'unknown' && n.failure);
    const workerRefused = nodes.filter((n) => n.credentials === 'accepted' && n.failure);
    const byNodeId = new Map<string, number[]>();
    for (const n of nodes) if (n.nodeId) byNodeId.set(n.nodeId, [...(byNodeId.get(n.nodeId) ?? []), n.index]);
    const duplicates = [...byNodeId.entries()].filter(([, list]) => list.length > 1);
    const evidence = { apiKey: key, nodes: nodes.map(nodeEvidence), rejected: rejected.map((n) => n.index), unreachable: unreachable.map((n) => n.index), workerRefused: workerRefused.map((n) => n.index) };
    const details = nodes.map(describe);
    if (rejected.length) {
      return fail(`${rejected.map(nodeLabel).join(', ')} ${rejected.length > 1 ? 'reject' : 'rejects'} the API key ${key}${rejected.length < nodes.length ? ` that ${nodeList(nodes.filter((n) => n.credentials === 'accepted').map((n) => n.index))} accept` : ''}`, {
        cause: 'cluster-node-rejects-key',
        details,
        evidence,
        fix: { text: `give every node the same key set (keys: in the config, LIVEKIT_KEYS or key_file): ${nodeList(rejected.map((n) => n.index))} ${rejected.length > 1 ? 'run' : 'runs'} with other keys, so a client routed there by the load balancer is refused` },
      });
    }
    if (unreachable.length) {
      return fail(`${unreachable.map((n) => `${nodeLabel(n)}: ${n.failure!.message}`).join('; ')}`, {
        cause: 'cluster-node-unreachable',
        details,
        evidence,
        fix: { text: `${unreachable[0]!.failure!.fix}; give each node's own address (not the load balancer's) to --node` },
      });
    }
    if (workerRefused.length) {
      return fail(`a worker cannot register on ${nodeList(workerRefused.map((n) => n.index))}: ${workerRefused[0]!.failure!.message}`, {
        cause: 'cluster-node-worker-refused',
        details,
        evidence,
        fix: { text: workerRefused[0]!.failure!.fix },
      });
    }
    const summary = `${nodes.length} node${nodes.length === 1 ? '' : 's'} answer with key ${key}: ${nodes.map((n) => `node ${n.index} ${n.nodeId} (v${n.version}${n.region ? `, ${n.region}` : ''})`).join(', ')}`;
    if (duplicates.length) {
      return warn(summary, {
        cause: 'cluster-duplicate-node',
        details: [...duplicates.map(([id, list]) => `${nodeList(list)} are the same server (${id}): the same node was given twice, or a load balancer address`), ...details],
        evidence,
        fix: { text: "give each node's own address once; a load balancer's address belongs in --url" },
      });
    }
    return pass(summary, { details, evidence });
  },
};
