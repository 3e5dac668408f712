/**
 * Self-hosted clusters, for real: Debian's redis-server and livekit-server v1.13.5 nodes on loopback. Nodes 1
 * and 2 share Redis database 0 (a cluster); node 3 uses database 1 of the same Redis; node 4 shares database 0
 * but runs with another key set; node 5 has no Redis at all. A Python agent runs on node 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoomServiceClient } from 'livekit-server-sdk';
import { startRedis, type RedisServer } from '../harness/redis.js';
import { makeKeyPair, startLiveKitServer, type LiveKitServer } from '../harness/server.js';
import { startAgent, type RunningAgent } from '../harness/agents.js';
import { runCli, connectionArgs } from '../harness/cli.js';
import { doctorJson, describeRun, expectNoSecrets, expectNothingLeft, uniqueId } from '../harness/scenarios.js';
import type { MatrixCell } from '../../src/checks/facts.js';

describe('check --node: a cluster view and a node × node dispatch matrix', () => {
  let redis: RedisServer;
  const nodes: LiveKitServer[] = [];
  let agent: RunningAgent;
  const keys = [makeKeyPair('c')];
  const agentName = `cluster-agent-${uniqueId()}`;
  const redisSection = (db: number) => `redis:\n  address: 127.0.0.1:${redis.port}\n  db: ${db}`;
  const node = (i: number) => nodes[i - 1]!;
  const nodeArgs = (...which: number[]) => which.flatMap((i) => ['--node', node(i).url]);

  beforeAll(async () => {
    redis = await startRedis();
    nodes.push(await startLiveKitServer({ keys, extraConfig: redisSection(0) }));
    nodes.push(await startLiveKitServer({ keys, extraConfig: redisSection(0) }));
    nodes.push(await startLiveKitServer({ keys, extraConfig: redisSection(1) }));
    nodes.push(await startLiveKitServer({ keys: [makeKeyPair('x')], extraConfig: redisSection(0) }));
    nodes.push(await startLiveKitServer({ keys }));
    agent = await startAgent({ framework: 'python', url: node(1).url, apiKey: keys[0]!.key, apiSecret: keys[0]!.secret, agentName, behaviour: 'tone' });
  }, 240_000);

  afterAll(async () => {
    await agent?.stop().catch(() => {});
    await Promise.all(nodes.map((n) => n.stop()));
    await redis?.stop();
  });

  const cellsOf = (run: { check(id: string): { evidence?: Record<string, unknown> } }) => run.check('cluster.matrix').evidence?.cells as MatrixCell[];

  it('a healthy 2-node cluster: all four cells deliver, one cluster, and the agent on node 1 comes through node 2', async () => {
    const run = await doctorJson(node(2), [...nodeArgs(1, 2), '--agent', agentName, '--wait', '8']);
    expect(run.code, describeRun(run)).toBe(0);
    const ids = (run.check('cluster.nodes').evidence?.nodes as { nodeId: string }[]).map((n) => n.nodeId);
    expect(new Set(ids).size).toBe(2);
    expect(ids.every((id) => id.startsWith('ND_'))).toBe(true);
    const cells = cellsOf(run);
    expect(cells.map((c) => `${c.worker}/${c.via}:${c.delivered}`).sort()).toEqual(['1/1:true', '1/2:true', '2/1:true', '2/2:true']);
    expect(run.check('cluster.groups').evidence?.groups).toEqual([[1, 2]]);
    const agentThrough = run.check('cluster.agent');
    expect(agentThrough.status, describeRun(run)).toBe('pass');
    expect(agentThrough.evidence?.works).toEqual([1, 2]);
    // The single-URL path too: --url is node 2, the agent's worker is on node 1.
    expect(run.check('agent.joined').status).toBe('pass');
    expect(run.report.findings).toEqual([]);
    console.log(`[cluster] healthy: ${run.check('cluster.matrix').summary}; ${agentThrough.summary}; run ${Math.round(run.durationMs)} ms`);
    expectNoSecrets(run, node(1));
    await expectNothingLeft(node(1));
    await expectNothingLeft(node(2));
  }, 120_000);

  it('a node without Redis is named as outside the cluster: its row and column fail, the rest pass, the agent never comes through it', async () => {
    const run = await doctorJson(node(1), [...nodeArgs(1, 2, 5), '--agent', agentName, '--only', 'cluster', '--wait', '10']);
    expect(run.code, describeRun(run)).toBe(1);
    const cells = cellsOf(run);
    expect(cells).toHaveLength(9);
    const failing = cells.filter((c) => !c.delivered).map((c) => `${c.worker}/${c.via}`).sort();
    expect(failing, describeRun(run)).toEqual(['1/3', '2/3', '3/1', '3/2']);
    expect(run.check('cluster.matrix').evidence).toMatchObject({ isolatedVia: [3], isolatedWorkers: [3] });
    expect(run.check('cluster.groups')).toMatchObject({ status: 'fail', cause: 'cluster-split', evidence: { groups: [[1, 2], [3]], apart: [3], otherDb: [] } });
    expect(run.check('cluster.agent'), describeRun(run)).toMatchObject({ status: 'fail', cause: 'cluster-agent-some-nodes', evidence: { works: [1, 2], fails: [3] } });
    expect(run.report.findings.map((f) => f.cause)).toEqual(['cluster-split', 'cluster-agent-some-nodes']);
    expect(run.report.findings[0]!.title).toContain(`node 3 (${node(5).url}) is outside the cluster of node 1 (${node(1).url}) and node 2 (${node(2).url})`);
    expect(run.report.findings[1]!.title).toContain(`never through node 3 (${node(5).url})`);
    expect(run.check('cleanup').status).toBe('pass');
    console.log(`[cluster] no Redis: ${run.check('cluster.groups').summary}; run ${Math.round(run.durationMs)} ms`);
    for (const i of [1, 2, 5]) await expectNothingLeft(node(i));
  }, 120_000);

  it('a node on another Redis database: every dispatch crosses (pub/sub ignores the db), but its rooms are its own, and that is named', async () => {
    const run = await doctorJson(node(1), [...nodeArgs(1, 2, 3), '--only', 'cluster', '--wait', '5']);
    expect(run.code, describeRun(run)).toBe(1);
    expect(cellsOf(run).filter((c) => !c.delivered), describeRun(run)).toEqual([]);
    expect(run.check('cluster.matrix').status).toBe('pass');
    expect(run.check('cluster.groups')).toMatchObject({ status: 'fail', cause: 'cluster-split-rooms', evidence: { groups: [[1, 2], [3]], apart: [], otherDb: [3] } });
    expect(run.report.findings.map((f) => f.cause)).toEqual(['cluster-split-rooms']);
    expect(run.report.findings[0]!.title).toContain(`node 3 (${node(3).url}) keeps its own rooms although dispatches reach it`);
    console.log(`[cluster] other db: ${run.check('cluster.groups').summary}`);
    for (const i of [1, 2, 3]) await expectNothingLeft(node(i));
  }, 90_000);

  it('a node with another key is named; the matrix still runs on the nodes that accept the key', async () => {
    const run = await doctorJson(node(1), [...nodeArgs(1, 4), '--only', 'cluster', '--wait', '5']);
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.check('cluster.nodes')).toMatchObject({ status: 'fail', cause: 'cluster-node-rejects-key', evidence: { rejected: [2] } });
    expect(run.report.findings[0]!.cause).toBe('cluster-node-rejects-key');
    expect(run.report.findings[0]!.title).toContain(`node 2 (${node(4).url}) rejects this API key`);
    expect(cellsOf(run).map((c) => `${c.worker}/${c.via}:${c.delivered}`)).toEqual(['1/1:true']);
    // Terminal output, too: one line names the node; no secret of either key set.
    const text = await runCli(['check', ...nodeArgs(1, 4), '--only', 'cluster.nodes', ...connectionArgs(node(1))]);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`node 2 (${node(4).url}) rejects the API key`);
    expectNoSecrets(run, node(1), node(4));
    expectNoSecrets(text, node(1), node(4));
    await expectNothingLeft(node(1));
    await expectNothingLeft(node(4));
  }, 90_000);

  it('rooms --node and participants --node show which nodes list which room', async () => {
    const { key, secret } = keys[0]!;
    const inCluster = `cluster-room-${uniqueId()}`;
    const outside = `outside-room-${uniqueId()}`;
    await new RoomServiceClient(node(1).httpUrl, key, secret).createRoom({ name: inCluster, emptyTimeout: 30 });
    await new RoomServiceClient(node(3).httpUrl, key, secret).createRoom({ name: outside, emptyTimeout: 30 });
    try {
      const creds = ['--api-key', key, '--api-secret', secret, '--no-env-file'];
      const rooms = await runCli(['rooms', ...nodeArgs(1, 2, 3), ...creds, '--json']);
      expect(rooms.code, rooms.stderr).toBe(0);
      const listing = JSON.parse(rooms.stdout) as { rooms: { name: string; nodes: number[] }[]; nodes: { index: number; rooms: number }[] };
      expect(listing.rooms.find((r) => r.name === inCluster)?.nodes).toEqual([1, 2]);
      expect(listing.rooms.find((r) => r.name === outside)?.nodes).toEqual([3]);
      const table = await runCli(['rooms', ...nodeArgs(1, 2, 3, 4), ...creds]);
      expect(table.code).toBe(1);
      expect(table.stdout).toMatch(new RegExp(`${outside}.*node 3`));
      expect(table.stdout).toContain(`node 4 ${node(4).url}: ✘ ListRooms: 401 unknown API key`);
      const parts = await runCli(['participants', outside, ...nodeArgs(1, 3), ...creds, '--json']);
      expect(parts.code, parts.stderr).toBe(0);
      expect((JSON.parse(parts.stdout) as { nodes: { index: number; roomLive: boolean }[] }).nodes.map((n) => [n.index, n.roomLive])).toEqual([[1, false], [2, true]]);
      const none = await runCli(['participants', 'no-such-room', ...nodeArgs(1, 3), ...creds]);
      expect(none.code).toBe(1);
      expect(none.stderr).toContain('is live on none of the 2 nodes');
      expectNoSecrets(table, node(1), node(4));
    } finally {
      await new RoomServiceClient(node(1).httpUrl, key, secret).deleteRoom(inCluster).catch(() => {});
      await new RoomServiceClient(node(3).httpUrl, key, secret).deleteRoom(outside).catch(() => {});
    }
  }, 60_000);

  it('bad --node values and a large run against remote hosts are usage errors (exit 2, one line) before anything is created', async () => {
    const base = ['check', ...connectionArgs(node(1))];
    const noScheme = await runCli([...base, '--node', '127.0.0.1:7880']);
    expect(noScheme.code).toBe(2);
    expect(noScheme.stderr.trim().split('\n')).toEqual(['livekit-doctor: --node "127.0.0.1:7880" is not a URL with a scheme; write ws://host:7880 (or wss://, http://, https://)']);
    const twice = await runCli([...base, '--node', node(1).url, '--node', `${node(1).httpUrl}/`]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('is the same address as');
    // Never contacted: the refusal comes first (no terminal to ask on, no --yes).
    const remote = ['10.255.0.1', '10.255.0.2', '10.255.0.3', '10.255.0.4'].flatMap((h) => ['--node', `ws://${h}:7880`]);
    const large = await runCli([...base, ...remote]);
    expect(large.code).toBe(2);
    expect(large.stderr.trim()).toBe('livekit-doctor: --node: 4 nodes means 4 probe workers and 16 dispatches on servers that are not on this machine: refusing without --yes (no terminal to ask on)');
    await expectNothingLeft(node(1));
  }, 60_000);
});
