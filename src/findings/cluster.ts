import type { Finding } from '../core/model.js';
import { evidenceOf, fixOf, type FindingInputs, type FindingRule } from './inputs.js';

type NodeEvidence = { index: number; url: string; nodeId?: string };

/** `node 3 (ws://10.0.0.3:7880)` from cluster.nodes' evidence. */
function labels(r: FindingInputs, indexes: number[]): string {
  const nodes = (r.get('cluster.nodes')?.evidence?.nodes ?? []) as NodeEvidence[];
  const one = (i: number) => {
    const n = nodes.find((x) => x.index === i);
    return n ? `node ${i} (${n.url})` : `node ${i}`;
  };
  const names = indexes.map(one);
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const numbers = (value: unknown): number[] => (Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : []);

function finding(r: FindingInputs, checkId: string, cause: string, title: string, likelihood: Finding['likelihood'], extra: string[] = []): Omit<Finding, 'rank'> {
  const c = r.get(checkId);
  return { cause, title, likelihood, evidence: [...evidenceOf(r, checkId), ...(c?.details ?? []).slice(0, 8), ...extra], fix: fixOf(c, 'see the check above'), fromChecks: [checkId] };
}

export const clusterFindingRules: FindingRule[] = [
  (r) => {
    const c = r.get('cluster.nodes');
    if (c?.status !== 'fail' || c.cause !== 'cluster-node-rejects-key') return undefined;
    const rejected = numbers(c.evidence?.rejected);
    const many = rejected.length > 1;
    return finding(r, 'cluster.nodes', 'cluster-node-rejects-key', `${labels(r, rejected)} ${many ? 'reject' : 'rejects'} this API key: ${many ? 'they run' : 'it runs'} with another key set than the other nodes, so clients the load balancer sends there are refused`, 'high');
  },
  (r) => {
    const c = r.get('cluster.nodes');
    if (c?.status !== 'fail' || (c.cause !== 'cluster-node-unreachable' && c.cause !== 'cluster-node-worker-refused')) return undefined;
    const which = numbers(c.cause === 'cluster-node-unreachable' ? c.evidence?.unreachable : c.evidence?.workerRefused);
    return finding(r, 'cluster.nodes', c.cause, c.cause === 'cluster-node-unreachable' ? `${labels(r, which)} cannot be reached from here` : `A worker cannot register on ${labels(r, which)}`, 'high');
  },
  (r) => {
    const c = r.get('cluster.groups');
    const apart = numbers(c?.evidence?.apart);
    if (c?.status !== 'fail' || !apart.length) return undefined;
    const largest = numbers(c.evidence?.largest);
    const many = apart.length > 1;
    const title =
      largest.length > 1
        ? `${labels(r, apart)} ${many ? 'are' : 'is'} outside the cluster of ${labels(r, largest)}: ${many ? 'they do' : 'it does'} not share their Redis, so no room and no dispatch crosses`
        : `The nodes form ${((c.evidence?.groups ?? []) as number[][]).length} separate clusters (${labels(r, [...largest, ...apart])}): none shares its Redis with another`;
    return finding(r, 'cluster.groups', 'cluster-split', title, 'high', evidenceOf(r, 'cluster.matrix'));
  },
  (r) => {
    const c = r.get('cluster.groups');
    const otherDb = numbers(c?.evidence?.otherDb);
    if (c?.status !== 'fail' || !otherDb.length) return undefined;
    const largest = numbers(c.evidence?.largest);
    const many = otherDb.length > 1;
    return finding(
      r,
      'cluster.groups',
      'cluster-split-rooms',
      `${labels(r, otherDb)} ${many ? 'keep their' : 'keeps its'} own rooms although dispatches reach ${many ? 'them' : 'it'}: ${many ? 'they use' : 'it uses'} the Redis of ${labels(r, largest)} with another database (redis.db), so its rooms are invisible to the other nodes and an agent dispatched into one of them never shows up there`,
      'high',
    );
  },
  (r) => {
    const c = r.get('cluster.matrix');
    if (c?.status !== 'fail' || c.cause !== 'cluster-dispatch-not-crossing') return undefined;
    const via = numbers(c.evidence?.isolatedVia);
    const workers = numbers(c.evidence?.isolatedWorkers);
    // A split already explains the cells of nodes outside the cluster.
    const apart = numbers(r.get('cluster.groups')?.evidence?.apart);
    if (apart.length && [...via, ...workers].every((i) => apart.includes(i))) return undefined;
    const parts = [
      via.length ? `dispatches through ${labels(r, via)} never reach workers on the other nodes` : '',
      workers.length ? `workers on ${labels(r, workers)} get no job dispatched through the other nodes` : '',
    ].filter(Boolean);
    const title = parts.length ? `${parts.join('; ')[0]!.toUpperCase()}${parts.join('; ').slice(1)}` : 'Some dispatches between the nodes never reach their worker';
    return finding(r, 'cluster.matrix', 'cluster-dispatch-not-crossing', title, 'high');
  },
  (r) => {
    const c = r.get('cluster.agent');
    if (c?.status !== 'fail' || c.cause !== 'cluster-agent-some-nodes') return undefined;
    const works = numbers(c.evidence?.works);
    const fails = numbers(c.evidence?.fails);
    return finding(r, 'cluster.agent', 'cluster-agent-some-nodes', `Your agent "${String(c.evidence?.agentName ?? '')}" comes when dispatched through ${labels(r, works)}, never through ${labels(r, fails)}: users whose room lands there get no agent`, 'high');
  },
];
