/**
 * SIP dispatch rules and inbound trunks against a real livekit-server v1.13.5 with Redis (the SIP API works
 * there with no SIP service running), a real Python agent, and a server without Redis (its SIP API answers
 * HTTP 500 "sip not connected (redis required)"). Rules and trunks are made with the SDK's SipClient.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RoomAgentDispatch, RoomConfiguration, SipClient } from 'livekit-server-sdk';
import { startRedis, type RedisServer } from '../harness/redis.js';
import { startLiveKitServer, type LiveKitServer } from '../harness/server.js';
import { startAgent, type RunningAgent } from '../harness/agents.js';
import { connectionArgs, runCli } from '../harness/cli.js';
import { doctorJson, describeRun, expectNoSecrets, expectNothingLeft, uniqueId } from '../harness/scenarios.js';

describe('SIP: dispatch rules and inbound trunks against the agent', () => {
  let redis: RedisServer;
  let server: LiveKitServer;
  let noRedis: LiveKitServer;
  let agent: RunningAgent;
  let sip: SipClient;
  const id = uniqueId();
  const agentName = `sip-agent-${id}`;
  const ghost = `ghost-agent-${id}`;
  const trunks: Record<string, string> = {};
  const rules: Record<string, string> = {};
  const room = (...names: string[]) => new RoomConfiguration({ agents: names.map((agentName) => new RoomAgentDispatch({ agentName })) });

  beforeAll(async () => {
    redis = await startRedis();
    server = await startLiveKitServer({ extraConfig: `redis:\n  address: 127.0.0.1:${redis.port}\n  db: 0` });
    noRedis = await startLiveKitServer();
    const { key, secret } = server.keys[0]!;
    sip = new SipClient(server.httpUrl, key, secret);
    for (const [name, number] of [['main', '+15550100001'], ['sales', '+15550100002'], ['night', '+15550100003']] as const) {
      trunks[name] = (await sip.createSipInboundTrunk(`${name} line`, [number])).sipTrunkId;
    }
    rules.ok = (await sip.createSipDispatchRule({ type: 'individual', roomPrefix: 'call-' }, { name: 'support', trunkIds: [trunks.main!], roomConfig: room(agentName) })).sipDispatchRuleId;
    rules.empty = (await sip.createSipDispatchRule({ type: 'individual', roomPrefix: 'sales-' }, { name: 'sales', trunkIds: [trunks.sales!] })).sipDispatchRuleId;
    rules.ghost = (await sip.createSipDispatchRule({ type: 'direct', roomName: 'night-desk' }, { name: 'night', trunkIds: [trunks.night!], roomConfig: room(ghost) })).sipDispatchRuleId;
    // The server accepts a trunk id that does not exist (measured): this rule can never match a call.
    rules.gone = (await sip.createSipDispatchRule({ type: 'individual', roomPrefix: 'old-' }, { name: 'old trunk', trunkIds: ['ST_deleted0000'], roomConfig: room(agentName) })).sipDispatchRuleId;
    agent = await startAgent({ framework: 'python', url: server.url, apiKey: key, apiSecret: secret, agentName, behaviour: 'tone' });
  }, 240_000);

  afterAll(async () => {
    await agent?.stop().catch(() => {});
    if (sip) {
      for (const r of await sip.listSipDispatchRule().catch(() => [])) await sip.deleteSipDispatchRule(r.sipDispatchRuleId).catch(() => {});
      for (const t of await sip.listSipInboundTrunk().catch(() => [])) await sip.deleteSipTrunk(t.sipTrunkId).catch(() => {});
    }
    await Promise.all([server?.stop(), noRedis?.stop()]);
    await redis?.stop();
  });

  it('a rule without an agent, a rule whose trunk does not exist and a rule naming an agent no worker serves → one finding each', async () => {
    const run = await doctorJson(server, ['--sip', '--agent', ghost, '--wait', '4']);
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.check('sip.listed').summary).toBe('4 dispatch rules, 3 inbound trunks');
    expect(run.check('sip.rule-agents')).toMatchObject({ status: 'fail', cause: 'sip-rule-no-agent' });
    expect(run.check('sip.rule-trunks')).toMatchObject({ status: 'fail', cause: 'sip-rule-unknown-trunk' });
    expect(run.check('sip.rule-trunks').summary).toContain(`rule ${rules.gone} "old trunk" names trunk ST_deleted0000`);
    const served = run.check('sip.agents-served');
    expect(served).toMatchObject({ status: 'fail', cause: 'sip-rule-agent-unserved' });
    expect(served.summary).toContain(`no worker serves "${ghost}"`);
    // The probe is the control: dispatch works here, only that name has no worker.
    expect(served.details?.find((d) => d.startsWith(`"${ghost}"`))).toContain("while the doctor's probe got its own job");
    const causes = run.report.findings.map((f) => f.cause);
    for (const cause of ['sip-rule-no-agent', 'sip-rule-unknown-trunk', 'sip-rule-agent-unserved', 'sip-rule-other-agent']) expect(causes, describeRun(run)).toContain(cause);
    const noAgent = run.report.findings.find((f) => f.cause === 'sip-rule-no-agent')!;
    expect(noAgent.evidence.join('\n')).toContain(`rule ${rules.empty} "sales" dispatches no agent`);
    expect(run.check('cleanup').status).toBe('pass');
    expectNoSecrets(run, server);
    await expectNothingLeft(server);
  }, 90_000);

  it('livekit-doctor sip: the listing, and a rule naming the agent with a trailing space found byte for byte', async () => {
    // The server refuses a second rule for the same trunk, number and PIN (measured): a trunk of its own.
    const vip = (await sip.createSipInboundTrunk('vip line', ['+15550100009'])).sipTrunkId;
    const spaced = (await sip.createSipDispatchRule({ type: 'individual', roomPrefix: 'vip-' }, { name: 'vip', trunkIds: [vip], roomConfig: room(`${agentName} `) })).sipDispatchRuleId;
    try {
      const json = await runCli(['sip', '--agent', agentName, ...connectionArgs(server), '--json']);
      expect(json.code, json.stderr).toBe(1);
      const doc = JSON.parse(json.stdout) as { schema: string; rules: { id: string; agents: { agentName: string }[] }[]; trunks: { id: string }[]; checks: { id: string; status: string; cause?: string; summary: string }[]; findings: { cause: string; evidence: string[] }[] };
      expect(doc.schema).toBe('livekit-doctor/sip@1');
      expect(doc.rules.map((r) => r.id).sort()).toEqual([...Object.values(rules), spaced].sort());
      expect(doc.trunks.map((t) => t.id).sort()).toEqual([...Object.values(trunks), vip].sort());
      const differs = doc.findings.find((f) => f.cause === 'sip-rule-agent-name-differs');
      expect(differs?.evidence.join('\n')).toContain(`rule ${spaced} "vip" dispatches "${agentName}␠", not "${agentName}"`);
      expect(doc.findings.map((f) => f.cause)).toContain('sip-rule-no-agent');
      // Read-only: whether a worker serves the name is not measured here, and says so.
      expect(doc.checks.find((c) => c.id === 'sip.agents-served')).toMatchObject({ status: 'warn', cause: 'sip-rule-agent-unverified' });
      const text = await runCli(['sip', '--agent', agentName, ...connectionArgs(server)]);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain('Dispatch rules (5)');
      expect(text.stdout).toContain('Inbound trunks (4)');
      expect(text.stdout).toMatch(new RegExp(`${rules.empty}.*sales.*none`));
      // One check names every rule it faults; which one heads it depends on the server's order of the (random) ids.
      expect(text.stdout).toMatch(new RegExp(`(✘ | {3})rule ${rules.empty} "sales" dispatches no agent`));
      expectNoSecrets(json, server);
      expectNoSecrets(text, server);
    } finally {
      await sip.deleteSipDispatchRule(spaced);
      await sip.deleteSipTrunk(vip);
    }
  }, 60_000);

  it('a healthy setup: every rule dispatches the running agent, over existing trunks, and a worker serves it', async () => {
    for (const r of [rules.empty, rules.ghost, rules.gone]) await sip.deleteSipDispatchRule(r!);
    const run = await doctorJson(server, ['--sip', '--agent', agentName, '--wait', '10']);
    expect(run.code, describeRun(run)).toBe(0);
    for (const c of ['sip.listed', 'sip.rule-agents', 'sip.rule-trunks', 'sip.agents-served']) expect(run.check(c).status, describeRun(run)).toBe('pass');
    expect(run.check('sip.agents-served').details?.[0]).toContain('joined');
    expect(run.report.findings).toEqual([]);
    await expectNothingLeft(server);
  }, 90_000);

  it('a server without Redis: one clear line instead of its HTTP 500', async () => {
    const text = await runCli(['sip', ...connectionArgs(noRedis)]);
    expect(text.code).toBe(1);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toBe('✘ SIP is not available on this server: it answers every SIP call with HTTP 500 "sip not connected (redis required)" — livekit-server runs without Redis, and SIP needs it');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^ {3}fix: add a `redis:` section/);
    const run = await doctorJson(noRedis, ['--sip', '--only', 'sip']);
    expect(run.code).toBe(1);
    expect(run.check('sip.listed')).toMatchObject({ status: 'fail', cause: 'sip-needs-redis' });
    expect(run.report.findings.map((f) => f.cause)).toEqual(['sip-needs-redis']);
    await expectNothingLeft(noRedis);
  }, 60_000);

  it('the tests leave no SIP rule or trunk behind', async () => {
    for (const r of await sip.listSipDispatchRule()) await sip.deleteSipDispatchRule(r.sipDispatchRuleId);
    for (const t of await sip.listSipInboundTrunk()) await sip.deleteSipTrunk(t.sipTrunkId);
    expect(await sip.listSipDispatchRule()).toEqual([]);
    expect(await sip.listSipInboundTrunk()).toEqual([]);
    // The doctor itself creates no SIP object: its own listing is empty too.
    const doc = JSON.parse((await runCli(['sip', ...connectionArgs(server), '--json'])).stdout) as { rules: unknown[]; trunks: unknown[] };
    expect(doc).toMatchObject({ rules: [], trunks: [] });
    await expectNothingLeft(server);
  }, 30_000);
});
