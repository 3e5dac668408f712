import { createRoomAndDispatch, ms } from '../support/doctor-room.js';
import { failedCall } from '../support/failure.js';
import { pass, type Check } from '../check.js';

export const agentDispatched: Check = {
  id: 'agent.dispatched',
  title: 'Your agent is dispatched to a fresh room',
  needs: ['server.credentials'],
  // The probe's checks go first, so a probe sharing the agent's name (--probe-name) does not compete for this job.
  // The agent endpoint's active_jobs is read first, so a rise after the dispatch shows the agent took the job.
  after: ['probe.joined', 'agent-http.reachable'],
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
