import { expect } from 'vitest';
import { RoomServiceClient, AgentDispatchClient } from 'livekit-server-sdk';
import type { LiveKitServer } from './server.js';

/** Rooms and dispatches the doctor created that are still on the server (should be none after a run). */
export async function doctorLeftovers(server: LiveKitServer): Promise<{ rooms: string[]; dispatches: string[] }> {
  const { key, secret } = server.keys[0]!;
  const rooms = new RoomServiceClient(server.httpUrl, key, secret);
  const dispatch = new AgentDispatchClient(server.httpUrl, key, secret);
  const live = (await rooms.listRooms()).map((r) => r.name).filter((n) => n.startsWith('livekit-doctor'));
  const dispatches: string[] = [];
  for (const room of live) {
    try {
      for (const d of await dispatch.listDispatch(room)) dispatches.push(`${room}/${d.id}/${d.agentName}`);
    } catch {
      // the room closed in between
    }
  }
  return { rooms: live, dispatches };
}

/** The leftover check: no `livekit-doctor*` room and no dispatch in one is left on the server. */
export async function expectNothingLeft(server: LiveKitServer): Promise<void> {
  expect(await doctorLeftovers(server)).toEqual({ rooms: [], dispatches: [] });
}
