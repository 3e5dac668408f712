import { createRoomAndDispatch, ms } from '../support/doctor-room.js';
import { failedCall } from '../support/failure.js';
import { pass, type Check } from '../check.js';

export const probeDispatched: Check = {
  id: 'probe.dispatched',
  title: 'A room is created and the probe is dispatched to it',
  needs: ['probe.registered'],
  deadlineMs: (ctx) => 2 * ctx.settings.timeoutMs + 1_000,
  async run(ctx) {
    const name = ctx.facts.probeName!;
    try {
      const d = await createRoomAndDispatch(ctx, name, 'probe');
      ctx.facts.probeDispatch = d;
      return pass(`dispatch ${d.dispatchId} to "${name}" in room ${d.room} (API answered in ${ms(d.answeredAtMs - d.sentAtMs)})`, {
        evidence: { room: d.room, dispatchId: d.dispatchId, agentName: name, apiMs: Math.round(d.answeredAtMs - d.sentAtMs) },
      });
    } catch (err) {
      return failedCall(err, 'creating the room and the dispatch');
    }
  },
};
