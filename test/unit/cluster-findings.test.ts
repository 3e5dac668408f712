import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/findings/analyze.js';
import type { CheckResult, CheckStatus } from '../../src/core/model.js';

const result = (id: string, status: CheckStatus, extra: Partial<CheckResult> = {}): CheckResult => ({ id, title: `title of ${id}`, status, summary: `${id} ${status}`, required: true, startedAtMs: 0, durationMs: 1, ...extra });
const nodes = [1, 2, 3].map((index) => ({ index, url: `ws://10.0.0.${index}:7880` }));
const nodesOk = result('cluster.nodes', 'pass', { evidence: { nodes } });

describe('cluster findings', () => {
  it('a node that rejects the key is named with its address', () => {
    const { findings } = analyze([result('cluster.nodes', 'fail', { cause: 'cluster-node-rejects-key', evidence: { nodes, rejected: [3] }, fix: { text: 'same keys' } })]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ cause: 'cluster-node-rejects-key', likelihood: 'high' });
    expect(findings[0]!.title).toMatch(/^node 3 \(ws:\/\/10\.0\.0\.3:7880\) rejects this API key/);
  });

  it('a split names the nodes outside the largest cluster, and the matrix finding is folded into it', () => {
    const { findings } = analyze([
      nodesOk,
      result('cluster.matrix', 'fail', { cause: 'cluster-dispatch-not-crossing', evidence: { isolatedVia: [3], isolatedWorkers: [3] } }),
      result('cluster.groups', 'fail', { cause: 'cluster-split', evidence: { groups: [[1, 2], [3]], largest: [1, 2], apart: [3], otherDb: [] }, fix: { text: 'same redis' } }),
    ]);
    expect(findings.map((f) => f.cause)).toEqual(['cluster-split']);
    expect(findings[0]!.title).toBe(
      'node 3 (ws://10.0.0.3:7880) is outside the cluster of node 1 (ws://10.0.0.1:7880) and node 2 (ws://10.0.0.2:7880): it does not share their Redis, so no room and no dispatch crosses',
    );
    expect(findings[0]!.evidence.join('\n')).toContain('title of cluster.matrix');
    expect(findings[0]!.fix.text).toBe('same redis');
  });

  it('another redis.db on the same Redis: rooms apart, dispatches crossing, named as such', () => {
    const { findings } = analyze([nodesOk, result('cluster.matrix', 'pass'), result('cluster.groups', 'fail', { cause: 'cluster-split-rooms', evidence: { groups: [[1, 2], [3]], largest: [1, 2], apart: [], otherDb: [3] } })]);
    expect(findings.map((f) => f.cause)).toEqual(['cluster-split-rooms']);
    expect(findings[0]!.title).toBe(
      'node 3 (ws://10.0.0.3:7880) keeps its own rooms although dispatches reach it: it uses the Redis of node 1 (ws://10.0.0.1:7880) and node 2 (ws://10.0.0.2:7880) with another database (redis.db), so its rooms are invisible to the other nodes and an agent dispatched into one of them never shows up there',
    );
  });

  it('two single nodes: "separate clusters", none shared', () => {
    const { findings } = analyze([nodesOk, result('cluster.groups', 'fail', { cause: 'cluster-split', evidence: { groups: [[1], [2]], largest: [1], apart: [2], otherDb: [] } })]);
    expect(findings[0]!.title).toMatch(/^The nodes form 2 separate clusters/);
  });

  it('a node with no Redis and a node on another db at once: two findings, each naming its node', () => {
    const { findings } = analyze([
      nodesOk,
      result('cluster.matrix', 'fail', { cause: 'cluster-dispatch-not-crossing', evidence: { isolatedVia: [3], isolatedWorkers: [3] } }),
      result('cluster.groups', 'fail', { cause: 'cluster-split', evidence: { groups: [[1], [2], [3]], largest: [1], apart: [3], otherDb: [2] } }),
    ]);
    expect(findings.map((f) => f.cause)).toEqual(['cluster-split', 'cluster-split-rooms']);
  });

  it('dispatches that never leave a node, while the rooms are shared, are their own finding', () => {
    const { findings } = analyze([nodesOk, result('cluster.matrix', 'fail', { cause: 'cluster-dispatch-not-crossing', evidence: { isolatedVia: [2], isolatedWorkers: [] } }), result('cluster.groups', 'pass')]);
    expect(findings.map((f) => f.cause)).toEqual(['cluster-dispatch-not-crossing']);
    expect(findings[0]!.title).toBe('Dispatches through node 2 (ws://10.0.0.2:7880) never reach workers on the other nodes');
  });

  it('an agent that comes through some nodes only is shown as such', () => {
    const { findings } = analyze([nodesOk, result('cluster.agent', 'fail', { cause: 'cluster-agent-some-nodes', evidence: { agentName: 'my-agent', works: [1, 2], fails: [3] } })]);
    expect(findings[0]!.title).toBe('Your agent "my-agent" comes when dispatched through node 1 (ws://10.0.0.1:7880) and node 2 (ws://10.0.0.2:7880), never through node 3 (ws://10.0.0.3:7880): users whose room lands there get no agent');
  });

  it('a healthy cluster has no finding', () => {
    expect(analyze([nodesOk, result('cluster.matrix', 'pass'), result('cluster.groups', 'pass'), result('cluster.agent', 'pass')]).findings).toEqual([]);
  });
});
