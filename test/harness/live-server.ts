import { beforeAll, afterAll, afterEach, expect } from 'vitest';
import { RoomServiceClient } from 'livekit-server-sdk';
import { startLiveKitServer, type LiveKitServer, type StartOptions } from './server.js';
import { doctorLeftovers } from './leftovers.js';
import { disposeRtc } from '../../src/livekit/participant.js';

export interface LiveServerUse {
  /** Receives the server once it runs. */
  onStart(server: LiveKitServer): void;
  /** Rooms a test created: deleted after each test. */
  rooms: Set<string>;
  /** Workers a test started: stopped after each test. */
  workers: { stop(): Promise<void> }[];
  options?: StartOptions;
}

/**
 * One real livekit-server for a test file: what each test made is removed after it, and at the end the
 * server must hold no `livekit-doctor*` room or dispatch (a leftover fails the file).
 */
export function useLiveServer(use: LiveServerUse): void {
  let server: LiveKitServer | undefined;
  beforeAll(async () => {
    server = await startLiveKitServer(use.options);
    use.onStart(server);
  });
  afterEach(async () => {
    await Promise.all(use.workers.splice(0).map((w) => w.stop()));
    if (!server) return;
    const rooms = new RoomServiceClient(server.httpUrl, server.keys[0]!.key, server.keys[0]!.secret);
    for (const r of use.rooms) await rooms.deleteRoom(r).catch(() => {});
    use.rooms.clear();
  });
  afterAll(async () => {
    try {
      if (server) expect(await doctorLeftovers(server)).toEqual({ rooms: [], dispatches: [] });
    } finally {
      await server?.stop();
      await disposeRtc();
    }
  });
}
