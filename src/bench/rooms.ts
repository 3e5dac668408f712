import type { ServerApi } from '../livekit/server-api.js';
import { withDeadline } from '../core/cleanup.js';

export interface RoomCleanup {
  deleted: number;
  failed: { room: string; error: string }[];
}

/** Deletes rooms a few at a time (a remote server should not see a burst of hundreds), each call bounded. */
export async function deleteRooms(api: ServerApi, rooms: readonly string[], perCallMs: number, concurrency = 4): Promise<RoomCleanup> {
  const result: RoomCleanup = { deleted: 0, failed: [] };
  const queue = [...new Set(rooms)];
  const lane = async () => {
    for (let room = queue.shift(); room !== undefined; room = queue.shift()) {
      try {
        await withDeadline(api.deleteRoom(room), perCallMs, `delete room ${room}`);
        result.deleted++;
      } catch (err) {
        const message = (err as Error)?.message ?? String(err);
        // Already gone (closed by its empty timeout) is what cleanup wants.
        if (/not.?found|does not exist/i.test(message)) result.deleted++;
        else result.failed.push({ room, error: message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, lane));
  return result;
}
