/**
 * The conversation after the join (check --agent … --voice) against a real livekit-server and the
 * conversational fixture on the real livekit-agents AgentSession pipeline (silero VAD, offline
 * STT/LLM/TTS): one behaviour per cause, each asserting the check that catches it and the top finding.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { LiveKitServer } from '../harness/server.js';
import { RoomServiceClient, AgentDispatchClient } from 'livekit-server-sdk';
import { startAgent, type AgentFramework, type ConversationBehaviour, type RunningAgent } from '../harness/agents.js';
import { doctorJson, describeRun, expectFailure, expectNoSecrets, expectNothingLeft, startServer, uniqueId } from '../harness/scenarios.js';

const WAIT = ['--wait', '6'];

describe.each(['python', 'node'] as AgentFramework[])('conversation (%s): the agent hears, thinks, replies and stays', (framework) => {
  let server: LiveKitServer;
  const agents = new Map<ConversationBehaviour, RunningAgent>();
  const id = uniqueId();
  // One fixture process at a time besides the healthy one: several starting at once on 2 cores miss the
  // frameworks' 10 s process-start timeout.
  const agentFor = async (behaviour: ConversationBehaviour) => {
    let agent = agents.get(behaviour);
    if (!agent) {
      for (const [other, running] of agents) {
        if (other === 'healthy') continue;
        await running.stop().catch(() => {});
        agents.delete(other);
      }
      const { key, secret } = server.keys[0]!;
      agent = await startAgent({ framework, url: server.url, apiKey: key, apiSecret: secret, agentName: `talk-${framework}-${behaviour}-${id}`, behaviour });
      agents.set(behaviour, agent);
    }
    return agent;
  };

  beforeAll(async () => {
    server = await startServer();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...agents.values()].map((a) => a.stop().catch(() => {})));
    await server?.stop();
  });

  it('healthy: every conversation check passes, with the transcript, the reply and a rejoin that is answered', async () => {
    const agent = await agentFor('healthy');
    const run = await doctorJson(server, ['--agent', agent.agentName, '--voice', ...WAIT]);
    expect(run.code, describeRun(run)).toBe(0);
    for (const check of ['agent.session-started', 'agent.subscribed', 'agent.hears', 'agent.replies', 'agent.speaks', 'agent.stays']) {
      expect(run.check(check).status, describeRun(run)).toBe('pass');
    }
    expect(run.check('agent.hears').summary).toMatch(/"thinking" [\d.]+ s after the end of speech; transcribed "/);
    expect(run.check('agent.replies').summary).toMatch(/replied [\d.]+ s after the end of speech: "You said:/);
    expect(run.report.findings).toEqual([]);
    console.log(`[conversation] ${framework} healthy: ${run.check('agent.hears').summary} | ${run.check('agent.replies').summary} | ${run.check('agent.stays').summary}`);
    expectNoSecrets(run, server);
    await expectNothingLeft(server);
  }, 120_000);

  const failing: [ConversationBehaviour, string, string, RegExp][] = [
    ['never-starts-session', 'agent.session-started', 'agent-session-not-started', /showed no lk\.agent\.state for \d+ s and said nothing/],
    ['hidden', 'agent.session-started', 'agent-hidden', /never sees it/],
    ['cloud-inference', 'agent.hears', 'cloud-feature-on-self-hosted', /never went "thinking" and transcribed nothing/],
    ['llm-fails', 'agent.replies', 'agent-llm-failed', /went "thinking" [\d.]+ s after the user spoke and never answered/],
    ['tts-fails', 'agent.replies', 'agent-tts-failed', /answered in text: "You said:.*" but no speech-level audio/],
    ['leaves-on-disconnect', 'agent.stays', 'agent-session-closed', /never answered/],
    ['linked-other', 'agent.hears', 'agent-linked-elsewhere', /never went "thinking" and transcribed nothing/],
  ];
  for (const [behaviour, check, cause, summary] of failing) {
    it(`${behaviour}: ${check} fails and the top finding is ${cause}`, async () => {
      const agent = await agentFor(behaviour);
      const run = await doctorJson(server, ['--agent', agent.agentName, '--voice', ...WAIT]);
      console.log(`[conversation] ${framework} ${behaviour}: ${run.check(check).summary} → ${run.top?.cause}: ${run.top?.title}`);
      expect(run.check(check).status, describeRun(run)).toBe('fail');
      expect(run.check(check).summary, describeRun(run)).toMatch(summary);
      await expectFailure(run, cause, server);
    }, 120_000);
  }

  it('greets: the greeting is heard out before the doctor speaks, and every check passes', async () => {
    const agent = await agentFor('greets');
    const run = await doctorJson(server, ['--agent', agent.agentName, '--voice', ...WAIT]);
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.check('agent.speaks').status).toBe('pass');
    expect(run.check('agent.replies').summary).toMatch(/replied [\d.]+ s after the end of speech/);
    expect(run.report.findings).toEqual([]);
    await expectNothingLeft(server);
  }, 120_000);

  // The doctor's reading is the same for both frameworks; one fixture keeps two sessions' start-up off a busy machine.
  it.runIf(framework === 'python')('dispatched twice into one room: two agents join and answer, and the finding names both', async () => {
    const agent = await agentFor('healthy');
    const { key, secret } = server.keys[0]!;
    const rooms = new RoomServiceClient(server.httpUrl, key, secret);
    const dispatch = new AgentDispatchClient(server.httpUrl, key, secret);
    // Like a backend that dispatches on every token request: a second dispatch into the doctor's agent room.
    let stop = false;
    const second = (async () => {
      for (let i = 0; i < 300 && !stop; i++) {
        for (const room of await rooms.listRooms()) {
          if (!room.name.startsWith('livekit-doctor-')) continue;
          const existing = await dispatch.listDispatch(room.name);
          if (existing.some((d) => d.agentName === agent.agentName)) return dispatch.createDispatch(room.name, agent.agentName);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      return undefined;
    })();
    const run = await doctorJson(server, ['--agent', agent.agentName, '--voice', ...WAIT]);
    stop = true;
    expect(await second, 'the second dispatch was sent').toBeDefined();
    const named = run.check('agent.replies').evidence?.agentsNamed as string[];
    expect(named, describeRun(run)).toHaveLength(2);
    const finding = run.report.findings.find((f) => f.cause === 'duplicate-agents');
    expect(finding, describeRun(run)).toBeDefined();
    for (const identity of named) expect(finding!.evidence.join('\n')).toContain(identity);
    expectNoSecrets(run, server);
    await expectNothingLeft(server);
  }, 120_000);
});
