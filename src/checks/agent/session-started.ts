import { conversationOf } from '../support/conversation.js';
import { conversationDeadline, voiceConversation } from '../support/conversation-checks.js';
import { fail, pass, warn, type Check } from '../check.js';

/**
 * Both frameworks' voice pipeline (AgentSession) publishes `lk.agent.state` on the agent participant
 * as soon as it starts: an agent that joined and shows none never started its session.
 */
export const agentSessionStarted: Check = {
  id: 'agent.session-started',
  title: "Your agent's voice session starts (lk.agent.state)",
  needs: ['agent.joined'],
  deadlineMs: conversationDeadline,
  appliesTo: voiceConversation,
  async run(ctx) {
    const conv = conversationOf(ctx);
    await conv.joined();
    const agent = conv.facts.agentIdentity;
    const visible = conv.current().participants.some((p) => p.identity === agent);
    const permission = ctx.facts.agent?.joined?.permission;
    if (!visible) {
      return fail(`${agent} is in the room (ListParticipants lists it) but the doctor's user never sees it${permission?.hidden ? ': its grant is hidden' : ''}: nothing it says reaches users`, {
        cause: 'agent-hidden',
        fix: { text: 'the worker runs with hidden permissions: remove WorkerPermissions(hidden=True) (Python) / permissions: { hidden: true } (Node) from the worker options' },
        evidence: { agent, permission },
      });
    }
    let states = conv.agentStates();
    const started = states.find((s) => s.state !== 'initializing');
    if (started) {
      const at = Math.round(started.atMs - (conv.facts.joinedAtMs ?? started.atMs));
      return pass(`lk.agent.state "${started.state}" ${at <= 0 ? 'when the user joined' : `${at} ms after the user joined`}: the voice pipeline runs`, { evidence: { states: states.map((s) => s.state) } });
    }
    // No state yet: the first turn tells an agent without a voice pipeline (it still speaks) from one that never started.
    const turn = await conv.firstTurn();
    states = conv.agentStates();
    if (states.some((s) => s.state !== 'initializing')) return pass(`lk.agent.state "${states.find((s) => s.state !== 'initializing')!.state}" once the user spoke`, { evidence: { states: states.map((s) => s.state) } });
    const spoke = conv.current().speech.some((r) => r.identity === agent);
    const stuck = states.length > 0;
    const waited = Math.round(((turn.observedUntilMs ?? 0) - (conv.facts.joinedAtMs ?? 0)) / 1000);
    if (spoke && !stuck) {
      return warn(`${agent} speaks but shows no lk.agent.state: it does not use the framework's voice pipeline (AgentSession), so hearing and thinking can only be judged from its audio`, { cause: 'agent-state-unknown', evidence: { states: [] } });
    }
    return fail(stuck ? `lk.agent.state stayed "initializing" for ${waited} s: the voice session never finished starting` : `${agent} joined but showed no lk.agent.state for ${waited} s and said nothing: its entrypoint connected and never started a voice session (or it failed)`, {
      cause: 'agent-session-not-started',
      fix: { text: "the entrypoint connects (ctx.connect()) but no AgentSession runs: look at the agent's log for an exception after 'connected to room', and check that it calls session.start(agent=…, room=ctx.room)" },
      evidence: { states: states.map((s) => s.state), waitedS: waited },
    });
  },
};
