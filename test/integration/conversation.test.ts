/**
 * The conversation after the join (check --agent … --voice) against a real livekit-server and the
 * conversational fixture on the real livekit-agents AgentSession pipeline (silero VAD, offline
 * STT/LLM/TTS): one behaviour per cause, each asserting the check that catches it and the top finding.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { LiveKitServer } from '../harness/server.js';
import { startAgent, type ConversationBehaviour, type RunningAgent } from '../harness/agents.js';
import { doctorJson, describeRun, expectFailure, expectNoSecrets, expectNothingLeft, startServer, uniqueId } from '../harness/scenarios.js';

const WAIT = ['--wait', '6'];

describe('conversation: the agent hears, thinks, replies and stays', () => {
  let server: LiveKitServer;
  const agents = new Map<ConversationBehaviour, RunningAgent>();
  const id = uniqueId();
  const agentFor = async (behaviour: ConversationBehaviour) => {
    let agent = agents.get(behaviour);
    if (!agent) {
      const { key, secret } = server.keys[0]!;
      agent = await startAgent({ framework: 'python', url: server.url, apiKey: key, apiSecret: secret, agentName: `talk-${behaviour}-${id}`, behaviour });
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
    console.log(`[conversation] healthy: ${run.check('agent.hears').summary} | ${run.check('agent.replies').summary} | ${run.check('agent.stays').summary}`);
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
  ];
  for (const [behaviour, check, cause, summary] of failing) {
    it(`${behaviour}: ${check} fails and the top finding is ${cause}`, async () => {
      const agent = await agentFor(behaviour);
      const run = await doctorJson(server, ['--agent', agent.agentName, '--voice', ...WAIT]);
      console.log(`[conversation] ${behaviour}: ${run.check(check).summary} → ${run.top?.cause}: ${run.top?.title}`);
      expect(run.check(check).status, describeRun(run)).toBe('fail');
      expect(run.check(check).summary, describeRun(run)).toMatch(summary);
      await expectFailure(run, cause, server);
    }, 120_000);
  }
});
