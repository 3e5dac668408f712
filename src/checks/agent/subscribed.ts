import { conversationOf } from '../support/conversation.js';
import { conversationDeadline, voiceConversation } from '../support/conversation-checks.js';
import { fail, pass, type Check } from '../check.js';

export const agentSubscribed: Check = {
  id: 'agent.subscribed',
  title: "Your agent subscribes to the user's microphone",
  needs: ['agent.session-started'],
  deadlineMs: conversationDeadline,
  appliesTo: voiceConversation,
  async run(ctx) {
    const conv = conversationOf(ctx);
    const turn = await conv.firstTurn();
    const log = conv.current();
    const evidence = { micTrackSid: log.micTrackSid, agent: conv.facts.agentIdentity };
    if (log.micSubscribedAtMs === undefined) {
      return fail(`nobody subscribed to the user's microphone track ${log.micTrackSid ?? ''} while the user spoke: the agent cannot hear what it never receives`.replace('  ', ' '), {
        cause: 'agent-not-subscribed',
        fix: { text: "the agent's session listens to another participant or to no audio: check RoomOptions/RoomInputOptions (participant_identity, audio_enabled) and the job's auto_subscribe setting" },
        evidence,
      });
    }
    const after = Math.round(log.micSubscribedAtMs - turn.speechStartMs);
    return pass(`the user's microphone track ${log.micTrackSid} was subscribed ${after <= 0 ? 'as soon as it was published' : `${after} ms after it was published`}`, { evidence });
  },
};
