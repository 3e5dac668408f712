import { conversationOf } from '../support/conversation.js';
import { conversationDeadline, seconds, turnEvidence, voiceConversation } from '../support/conversation-checks.js';
import { fail, notApplicable, pass, type Check } from '../check.js';

export const agentHears: Check = {
  id: 'agent.hears',
  title: "Your agent hears the user (thinks, or transcribes the user's speech)",
  needs: ['agent.session-started'],
  deadlineMs: conversationDeadline,
  appliesTo: voiceConversation,
  async run(ctx) {
    const conv = conversationOf(ctx);
    const turn = await conv.firstTurn();
    const evidence = turnEvidence(turn);
    const heardAt = [turn.thinkingAtMs, turn.transcriptAtMs].filter((t): t is number => t !== undefined);
    if (heardAt.length) {
      const how = [
        turn.thinkingAtMs !== undefined && `"thinking" ${seconds(turn.thinkingAtMs - turn.speechEndMs)} after the end of speech`,
        turn.transcript !== undefined && `transcribed "${turn.transcript}"`,
      ].filter(Boolean);
      return pass(how.join('; '), { evidence });
    }
    if (!conv.agentStates().length && conv.current().speech.some((r) => r.identity === conv.facts.agentIdentity)) {
      return notApplicable('the agent speaks without a voice pipeline state (lk.agent.state) or transcripts: whether it heard the user cannot be seen');
    }
    const lastState = conv.agentStates().at(-1)?.state;
    return fail(`the user spoke for ${seconds(turn.speechEndMs - turn.speechStartMs)}; in the ${seconds((turn.observedUntilMs ?? turn.speechEndMs) - turn.speechEndMs)} after, the agent never went "thinking" and transcribed nothing${lastState ? ` (state stayed "${lastState}")` : ''}`, {
      cause: 'agent-deaf',
      fix: { text: "the agent's speech-to-text gets nothing or fails: look at its log for STT errors; on a self-hosted server, LiveKit Inference model strings (\"deepgram/nova-3\") and Cloud noise cancellation do not work" },
      evidence,
    });
  },
};
