import { randomBytes } from 'node:crypto';
import type { CheckContext, CreatedDispatch } from './types.js';

/** A recognisable, unique room name: `livekit-doctor-<id>`. */
export function doctorRoomName(): string {
  return `livekit-doctor-${randomBytes(5).toString('hex')}`;
}

/**
 * A room created with no agents gets an automatic dispatch, which would start a session of any
 * unnamed agent in the user's project. Naming one agent at creation suppresses it; no worker has
 * this name, so nothing is started.
 */
export const NO_AUTOMATIC_DISPATCH = 'livekit-doctor-no-automatic-dispatch';

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
    agents: [{ agentName: NO_AUTOMATIC_DISPATCH, metadata: 'placeholder: keeps unnamed agents out of this test room' }],
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
