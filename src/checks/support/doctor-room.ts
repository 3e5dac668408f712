import { doctorRoomName, NO_AUTOMATIC_DISPATCH } from '../../livekit/names.js';
import type { CheckContext } from '../check.js';
import type { CreatedDispatch } from '../facts.js';
import { withDeadline } from '../../core/cleanup.js';


/**
 * Creates a fresh room (short empty timeout, so even a lost cleanup closes it within a minute) and an
 * explicit dispatch to `agentName` in it. The room is registered for cleanup BEFORE it is created: the doctor
 * chose its name, so a room whose CreateRoom answer was lost (connection cut mid-answer) is still deleted by
 * name. Its deletion first waits (bounded) for the calls still in flight, so that a CreateRoom or
 * CreateDispatch that lands late cannot re-create the room after it was deleted. Deleting the room removes its
 * dispatches too.
 */
export async function createRoomAndDispatch(ctx: CheckContext, agentName: string, purpose: string): Promise<CreatedDispatch> {
  const api = ctx.api();
  const room = doctorRoomName();
  let inFlight: Promise<unknown> = Promise.resolve();
  const settled = () => withDeadline(inFlight.then(() => undefined, () => undefined), ctx.settings.timeoutMs + 1_000, 'calls in flight').catch(() => {});
  ctx.facts.createdRooms.push(room);
  ctx.cleanup.addRoom(room, async () => {
    await settled();
    await api.deleteRoom(room);
  });
  const created = api.createRoom(room, {
    emptyTimeoutS: 60,
    departureTimeoutS: 10,
    metadata: JSON.stringify({ createdBy: 'livekit-doctor', purpose }),
    agents: [NO_AUTOMATIC_DISPATCH],
  });
  inFlight = created;
  await created;
  ctx.timeline.add('api', 'room-created', { room });
  const sentAtMs = ctx.timeline.clock.now();
  ctx.timeline.add('api', 'dispatch-sent', { room, agentName });
  const dispatching = api.createDispatch(room, agentName, { metadata: JSON.stringify({ createdBy: 'livekit-doctor', purpose }) });
  inFlight = dispatching;
  const dispatch = await dispatching;
  const answeredAtMs = ctx.timeline.clock.now();
  ctx.timeline.add('api', 'dispatch-created', { room, agentName, dispatchId: dispatch.id });
  // No separate DeleteDispatch: deleting the room (registered above) removes its dispatches with it.
  return { room, dispatchId: dispatch.id, agentName, sentAtMs, answeredAtMs };
}

export const ms = (value: number) => `${Math.round(value)} ms`;
