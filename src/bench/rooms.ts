import type { ServerApi } from '../livekit/server-api.js';
import { backoffMs, withDeadline } from '../core/cleanup.js';

export interface RoomCleanup {
  deleted: number;
  failed: { room: string; error: string }[];
}

/**
 * Deletes rooms a few at a time (a remote server should not see a burst of hundreds), each call bounded. A
 * deletion that fails for the network is retried with backoff until `retryBudgetMs` after the start, so that a
 * network that comes back within seconds leaves nothing behind; what still fails is returned by name.
 */
export async function deleteRooms(api: ServerApi, rooms: readonly string[], perCallMs: number, concurrency = 4, retryBudgetMs = 10_000): Promise<RoomCleanup> {
  const result: RoomCleanup = { deleted: 0, failed: [] };
  const queue = [...new Set(rooms)];
  const until = performance.now() + retryBudgetMs;
  const lane = async () => {
    for (let room = queue.shift(); room !== undefined; room = queue.shift()) {
      for (let attempt = 1; attempt <= 30; attempt++) {
        try {
          await withDeadline(api.deleteRoom(room), Math.min(perCallMs, 5_000), `delete room ${room}`);
          result.deleted++;
          break;
        } catch (err) {
          const message = (err as Error)?.message ?? String(err);
          // Already gone (closed by its empty timeout) is what cleanup wants.
          if (/not.?found|does not exist/i.test(message)) {
            result.deleted++;
            break;
          }
          const wait = backoffMs(attempt);
          if (/\b40[13]\b|unauthori[sz]ed|permission/i.test(message) || performance.now() + wait >= until) {
            result.failed.push({ room, error: message });
            break;
          }
          await new Promise((r) => setTimeout(r, wait));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, lane));
  return result;
}
