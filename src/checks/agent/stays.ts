import { conversationOf, REJOIN_AFTER_MS } from '../support/conversation.js';
import { conversationDeadline, seconds, turnEvidence, voiceConversation } from '../support/conversation-checks.js';
import { jobIdFromIdentity } from '../support/agent-room-watch.js';
import { fail, pass, type Check, type CheckContext } from '../check.js';

/** A participant left behind by a closed session is not an agent: after a reload the user needs an answer. */
export const agentStays: Check = {
  id: 'agent.stays',
  title: 'Your agent stays and answers again after the user reloads',
  needs: ['agent.replies'],
  deadlineMs: conversationDeadline,
  appliesTo: voiceConversation,
  async run(ctx) {
    const conv = conversationOf(ctx);
    const rejoin = (await conv.rejoin())!;
    const away = `the user left and came back ${seconds(REJOIN_AFTER_MS)} later`;
    const evidence = { leftAtMs: rejoin.leftAtMs, rejoinedAtMs: rejoin.rejoinedAtMs, agentPresent: rejoin.agentPresent, stateAtRejoin: rejoin.stateAtRejoin, ...(rejoin.turn ? turnEvidence(rejoin.turn) : {}) };
    const fix = { text: "the agent's session ends when its user disconnects (close_on_disconnect, the default): keep it for reloads with RoomOptions(close_on_disconnect=False) / closeOnDisconnect: false and end it yourself, or let the app dispatch a new agent on every join" };
    const logged = await serverSaid(ctx, conv.facts.room, conv.facts.agentIdentity);
    if (!rejoin.agentPresent) {
      return fail(`${away}: the agent had left the room${logged.summary}`, { cause: 'agent-left', fix, details: logged.quotes, evidence });
    }
    const turn = rejoin.turn!;
    if (turn.replyAudioAtMs !== undefined) {
      return pass(`${away}: the agent was still there and replied ${seconds(turn.replyAudioAtMs - turn.speechEndMs)} after the end of speech`, { evidence });
    }
    const reacted = turn.thinkingAtMs !== undefined || turn.transcriptAtMs !== undefined;
    const left = rejoin.agentLeftAtMs !== undefined ? `; it left ${seconds(rejoin.agentLeftAtMs - rejoin.leftAtMs)} after the user did` : '';
    return fail(`${away}: the agent participant ${reacted ? 'heard the user but' : 'was still in the room'} (state "${rejoin.stateAtRejoin ?? 'none'}") and never answered${left}: its session had closed${logged.summary}`, {
      cause: 'agent-session-closed',
      fix,
      details: logged.quotes,
      evidence,
    });
  },
};

/** With --server-log: the server's own reason for the agent leaving, and how its job ended. */
async function serverSaid(ctx: CheckContext, room: string, identity: string): Promise<{ summary: string; quotes: string[] }> {
  const source = ctx.facts.serverLogSource;
  if (!source) return { summary: ' (give --server-log for the server\'s reason)', quotes: [] };
  const { participantLifecycle } = await import('../../evidence/server-log.js');
  const log = await source.read().catch(() => undefined);
  if (!log) return { summary: '', quotes: [] };
  const seen = participantLifecycle(log.entries, room, identity, jobIdFromIdentity(identity));
  const parts = [
    seen.closing && `the server logged "participant closing" for it, reason ${seen.closing.reason ?? 'unknown'}${seen.closing.sessionDuration ? ` after ${seen.closing.sessionDuration}` : ''} (line ${seen.closing.line})`,
    seen.jobEnded && `its job ended ${seen.jobEnded.status ?? ''}${seen.jobEnded.error ? `: ${seen.jobEnded.error}` : ''} (line ${seen.jobEnded.line})`,
  ].filter(Boolean);
  return { summary: parts.length ? `; ${parts.join('; ')}` : "; the server's log shows no leave or job end for it", quotes: [seen.closing?.quote, seen.jobEnded?.quote].filter((q): q is string => !!q) };
}
