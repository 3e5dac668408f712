import type { Finding } from '../core/model.js';
import { causeRule } from './cause-rule.js';
import type { FindingInputs, FindingRule } from './inputs.js';

/**
 * After the join: what the doctor saw while it talked to the agent (check --voice). The agent
 * frameworks publish their pipeline state and transcripts, so each step of a turn has its own cause.
 */
const CONVERSATION_CHECKS = ['agent.session-started', 'agent.subscribed', 'agent.hears', 'agent.replies', 'agent.stays'];

/** The probe learnt the server's edition when it registered: Standard is a self-hosted (open-source) server. */
function selfHosted(r: FindingInputs): boolean | undefined {
  const server = r.get('probe.registered')?.evidence?.server as { edition?: string } | undefined;
  if (!server?.edition) return undefined;
  return !/cloud/i.test(server.edition);
}

const line = (r: FindingInputs, ...ids: string[]) => ids.map((id) => r.line(id)).filter((l): l is string => !!l);

function deafAgent(r: FindingInputs): Omit<Finding, 'rank'> | undefined {
  const c = r.get('agent.hears');
  if (c?.cause !== 'agent-deaf' || r.failed('agent.subscribed')) return undefined;
  const evidence = line(r, 'agent.session-started', 'agent.subscribed', 'agent.hears');
  const agentTracks = r.get('agent.speaks')?.evidence?.trackSid;
  if (r.get('agent.speaks') && agentTracks === undefined) {
    return {
      cause: 'agent-linked-elsewhere',
      title: "Your agent's session listens to someone else: it subscribed to the user's microphone but never hears it and never even published its own audio track, as a session linked to another participant does",
      likelihood: 'high',
      evidence: [...evidence, ...line(r, 'agent.speaks')],
      fix: {
        text: "the session links one participant: the first of kind STANDARD/SIP/CONNECTOR to join, or a fixed participant_identity in RoomOptions/RoomInputOptions. Remove a fixed identity that is not the user's, and make sure bots, recorders or observers of your backend do not join the room before the user (or give them kind ingress/egress)",
      },
      fromChecks: ['agent.hears', 'agent.speaks'],
    };
  }
  if (selfHosted(r)) {
    return {
      cause: 'cloud-feature-on-self-hosted',
      title: 'Your agent never hears the user: it receives the audio, and on this self-hosted server that is most often a LiveKit Cloud-only feature in its pipeline (LiveKit Inference models, Cloud noise cancellation)',
      likelihood: 'high',
      evidence: [...evidence, 'the server is self-hosted (edition Standard, from the probe\'s registration): LiveKit Inference (model strings such as "deepgram/nova-3" passed to AgentSession) and noise_cancellation.BVC() need LiveKit Cloud'],
      fix: {
        text: 'give the session a speech-to-text plugin with its own provider key (e.g. stt=deepgram.STT() with DEEPGRAM_API_KEY) instead of an Inference model string, and drop Cloud noise cancellation on self-hosted servers; the agent log shows the 401s from agent-gateway.livekit.cloud',
        links: ['https://docs.livekit.io/transport/self-hosting'],
      },
      fromChecks: ['agent.hears'],
    };
  }
  return {
    cause: 'agent-deaf',
    title: "Your agent receives the user's audio but never hears it: its speech-to-text step gets nothing or fails",
    likelihood: 'high',
    evidence,
    fix: c.fix ?? { text: "look at the agent's log for STT errors (API key, model, quota)" },
    fromChecks: ['agent.hears'],
  };
}

/** The same agent answering twice in one room: two sessions of one name, from two dispatches. */
function twoAgentsAnswer(r: FindingInputs): Omit<Finding, 'rank'> | undefined {
  const evidence = r.get('agent.replies')?.evidence;
  const answeredBy = (evidence?.answeredBy as string[] | undefined) ?? [];
  const named = (evidence?.agentsNamed as string[] | undefined) ?? [];
  if (answeredBy.length < 2 && named.length < 2) return undefined;
  const count = Math.max(answeredBy.length, named.length);
  return {
    cause: 'duplicate-agents',
    title: `${count} agents of one name in one room: the same agent was dispatched more than once (the token's room configuration and an API dispatch, or a dispatch on every token request)`,
    likelihood: 'high',
    evidence: [...line(r, 'agent.replies'), ...(named.length > 1 ? [`agent participants of that name: ${named.join(', ')}`] : []), ...(answeredBy.length > 1 ? [`audio came from: ${answeredBy.join(', ')}`] : [])],
    fix: { text: 'dispatch the agent once per room: either in the token (RoomConfiguration.agents) or with CreateDispatch, and only when the room has no agent yet (`livekit-doctor dispatch list --room <room>`)' },
    fromChecks: ['agent.replies'],
  };
}

export const conversationFindingRules: FindingRule[] = [
  causeRule('agent.session-started', {
    'agent-hidden': ['Your agent is hidden: it joins the room, but users never see or hear it', 'high'],
    'agent-session-not-started': ['Your agent joins but never starts its voice session (no lk.agent.state): the entrypoint connected and then failed or never called session.start()', 'high'],
  }),
  causeRule('agent.subscribed', {
    'agent-not-subscribed': ["Your agent does not listen to the user's microphone: its session is linked to another participant or takes no audio", 'high'],
  }, ['agent.hears']),
  deafAgent,
  causeRule('agent.replies', {
    'agent-llm-failed': ['Your agent hears the user but never answers: its language-model step fails', 'high'],
    'agent-tts-failed': ['Your agent answers, but no audio comes out: its text-to-speech step fails or its track is muted', 'high'],
    'agent-cannot-publish': ['Your agent may not publish audio (canPublish=false): nobody can ever hear it', 'high'],
    'agent-no-reply': ['Your agent hears the user and then stays silent', 'medium'],
  }, ['agent.hears']),
  twoAgentsAnswer,
  causeRule('agent.stays', {
    'agent-left': ['Your agent leaves when its user disconnects: a page reload ends the conversation for good', 'high'],
    'agent-session-closed': ['After a page reload your agent is still in the room but no longer answers: its session closed when the user left (close_on_disconnect)', 'high'],
  }),
];

/** A conversation step that failed says more than "silent": the generic finding then stays out. */
export const conversationExplains = (r: FindingInputs) => CONVERSATION_CHECKS.some((id) => r.failed(id));
