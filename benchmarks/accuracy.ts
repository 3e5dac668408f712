/**
 * The reference measurement for the doctor's accuracy: the minimal raw worker from the test harness
 * (ws + @livekit/protocol, stamps each frame on arrival) receives dispatches made the same way the
 * bench makes them: a fresh room, then CreateDispatch with the clock read right before it is sent.
 */
import { randomBytes } from 'node:crypto';
import { startMiniWorker } from '../test/harness/mini-worker.js';
import type { LiveKitServer } from '../test/harness/server.js';
import { ServerApi } from '../src/livekit/server-api.js';
import { percentile } from '../src/bench/stats.js';

export async function miniWorkerJobLatencies(server: LiveKitServer, dispatches: number, timeoutMs = 10_000): Promise<{ p50: number; latencies: number[]; lost: number }> {
  const { key, secret } = server.keys[0]!;
  const agentName = `bench-mini-${randomBytes(4).toString('hex')}`;
  const worker = await startMiniWorker({ url: server.url, apiKey: key, apiSecret: secret, agentName });
  const api = new ServerApi({ url: server.url, httpUrl: server.httpUrl, wsUrl: server.url, apiKey: key, apiSecret: secret, timeoutMs });
  const latencies: number[] = [];
  const rooms: string[] = [];
  let lost = 0;
  try {
    for (let i = 0; i < dispatches; i++) {
      const room = `livekit-doctor-bench-mini-${randomBytes(5).toString('hex')}`;
      rooms.push(room);
      await api.createRoom(room, { emptyTimeoutS: 60, departureTimeoutS: 10 });
      const seen = worker.frames.length;
      const sentAt = performance.now();
      await api.createDispatch(room, agentName);
      const frame = await waitForFrame(worker, 'availability', room, seen, timeoutMs);
      if (frame) latencies.push(frame.atMs - sentAt);
      else lost++;
      // Let the assignment arrive before the next dispatch, as the bench's closed loop does at C=1.
      await waitForFrame(worker, 'assignment', room, seen, 2000);
    }
  } finally {
    await worker.close();
    for (const room of rooms) await api.deleteRoom(room).catch(() => {});
  }
  return { p50: percentile(latencies, 50) ?? Number.NaN, latencies, lost };
}

/** Polls the frames the worker stamped on arrival: the poll's own delay does not change the measured time. */
async function waitForFrame(worker: Awaited<ReturnType<typeof startMiniWorker>>, kind: 'availability' | 'assignment', room: string, from: number, timeoutMs: number) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const frame = worker.frames.slice(from).find((f) => f.kind === kind && f.room === room);
    if (frame) return frame;
    await new Promise((r) => setTimeout(r, 2));
  }
  return undefined;
}
