import { createRoomAndDispatch, ms } from '../support/doctor-room.js';
import { failedCall } from '../support/failure.js';
import { pass, type Check } from '../check.js';

export const agentDispatched: Check = {
  id: 'agent.dispatched',
  title: 'Your agent is dispatched to a fresh room',
  needs: ['server.credentials'],
  // The agent endpoint's active_jobs is read first, so a rise after the dispatch shows the agent took the job.
  // Under its own unique name the probe cannot compete for this job, so the two run side by side; a --probe-name
  // (possibly the agent's) makes the probe's checks go first.
  after: (o) => (o.probeName !== undefined ? ['probe.joined', 'agent-http.reachable'] : ['agent-http.reachable']),
  deadlineMs: (ctx) => 2 * ctx.settings.timeoutMs + 1_000,
  appliesTo: (o) => o.agentName !== undefined,
  async run(ctx) {
    const name = ctx.options.agentName!;
    try {
      const d = await createRoomAndDispatch(ctx, name, 'agent');
      ctx.facts.agentDispatch = d;
      return pass(`dispatch ${d.dispatchId} to "${name}" in room ${d.room} (API answered in ${ms(d.answeredAtMs - d.sentAtMs)}); this starts a real session of your agent`, {
        evidence: { room: d.room, dispatchId: d.dispatchId, agentName: name },
      });
    } catch (err) {
      return failedCall(err, `dispatching "${name}"`);
    }
  },
};
