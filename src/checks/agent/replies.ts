import { conversationOf } from '../support/conversation.js';
import { agentsNamed, conversationDeadline, seconds, turnEvidence, voiceConversation } from '../support/conversation-checks.js';
import { fail, notApplicable, pass, type Check } from '../check.js';

export const agentReplies: Check = {
  id: 'agent.replies',
  title: 'Your agent replies with audible speech',
  needs: ['agent.hears'],
  deadlineMs: conversationDeadline,
  appliesTo: voiceConversation,
  async run(ctx) {
    const conv = conversationOf(ctx);
    const turn = await conv.firstTurn();
    const evidence = { ...turnEvidence(turn), agentsNamed: agentsNamed(conv.current(), ctx.facts.agentDispatch!.agentName) };
    const text = turn.replyText ? `: "${turn.replyText}"` : '';
    if (turn.replyAudioAtMs !== undefined) {
      return pass(`replied ${seconds(turn.replyAudioAtMs - turn.speechEndMs)} after the end of speech${text}`, { evidence });
    }
    if (!conv.agentStates().length && conv.current().speech.some((r) => r.identity === conv.facts.agentIdentity)) {
      return notApplicable('the agent speaks without a voice pipeline state (lk.agent.state): a reply cannot be told from its other audio');
    }
    const agent = conv.current().audioTracks.filter((t) => t.identity === conv.facts.agentIdentity);
    const permission = ctx.facts.agent?.joined?.permission;
    if (permission && !permission.canPublish) {
      return fail(`the agent ${turn.speakingAtMs !== undefined ? 'went "speaking"' : 'tried to answer'} but may not publish: its grant has canPublish=false, so nobody ever hears it`, {
        cause: 'agent-cannot-publish',
        fix: { text: 'the worker permissions deny publishing: set can_publish=True (Python WorkerPermissions) / canPublish: true (Node)' },
        evidence: { ...evidence, permission },
      });
    }
    if (turn.replyText || turn.speakingAtMs !== undefined) {
      const muted = ctx.facts.agent?.joined?.tracks.some((t) => t.type === 'audio' && t.muted);
      return fail(`the agent answered${text ? ` in text${text}` : ' ("speaking")'} but no speech-level audio came from it${agent.length ? ` (its track carried peak ${Math.max(...agent.map((t) => t.maxRms)).toFixed(4)} of full scale)` : ' (it published no audio track)'}${muted ? '; its audio track is muted' : ''}`, {
        cause: 'agent-tts-failed',
        fix: { text: "the text-to-speech step fails or produces silence: look at the agent's log for TTS errors (API key, model, quota) and check that its audio track is not muted" },
        evidence,
      });
    }
    if (turn.thinkingAtMs !== undefined) {
      return fail(`the agent went "thinking" ${seconds(turn.thinkingAtMs - turn.speechEndMs)} after the user spoke and never answered (no reply text, no audio, never "speaking")`, {
        cause: 'agent-llm-failed',
        fix: { text: "the language-model step fails: look at the agent's log for LLM errors (API key, model name, quota, a tool that raises)" },
        evidence,
      });
    }
    return fail(`no reply within ${seconds((turn.observedUntilMs ?? turn.speechEndMs) - turn.speechEndMs)} of the end of speech`, { cause: 'agent-no-reply', fix: { text: "look at the agent's log for the turn: STT, LLM and TTS errors" }, evidence });
  },
};
