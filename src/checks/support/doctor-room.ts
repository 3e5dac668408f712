import { doctorRoomName, NO_AUTOMATIC_DISPATCH } from '../../livekit/names.js';
import type { CheckContext } from '../check.js';
import type { CreatedDispatch } from '../facts.js';


/**
 * Creates a fresh room (short empty timeout, so even a lost cleanup closes it within a minute) and an
 * explicit dispatch to `agentName` in it. Both are registered for cleanup as soon as they exist.
 */
export async function createRoomAndDispatch(ctx: CheckContext, agentName: string, purpose: string): Promise<CreatedDispatch> {
  const api = ctx.api();
  const room = doctorRoomName();
  await api.createRoom(room, {
    emptyTimeoutS: 60,
    departureTimeoutS: 10,
    metadata: JSON.stringify({ createdBy: 'livekit-doctor', purpose }),
    agents: [NO_AUTOMATIC_DISPATCH],
  });
  ctx.facts.createdRooms.push(room);
  ctx.cleanup.add(`delete room ${room}`, () => api.deleteRoom(room));
  ctx.timeline.add('api', 'room-created', { room });
  const sentAtMs = ctx.timeline.clock.now();
  ctx.timeline.add('api', 'dispatch-sent', { room, agentName });
  const dispatch = await api.createDispatch(room, agentName, { metadata: JSON.stringify({ createdBy: 'livekit-doctor', purpose }) });
  const answeredAtMs = ctx.timeline.clock.now();
  ctx.timeline.add('api', 'dispatch-created', { room, agentName, dispatchId: dispatch.id });
  ctx.cleanup.add(`delete dispatch ${dispatch.id}`, () => api.deleteDispatch(dispatch.id, room));
  return { room, dispatchId: dispatch.id, agentName, sentAtMs, answeredAtMs };
}

export const ms = (value: number) => `${Math.round(value)} ms`;
