import { describe, it, expect, afterAll, beforeAll } from 'vitest';
import { RoomServiceClient } from 'livekit-server-sdk';
import { startLiveKitServer, type LiveKitServer } from '../harness/server.js';

describe('harness: a real livekit-server on loopback', () => {
  let server: LiveKitServer;
  beforeAll(async () => {
    server = await startLiveKitServer();
  });
  afterAll(async () => server?.stop());

  it('answers signed calls with each generated key pair and rejects an unknown key', async () => {
    for (const pair of server.keys) {
      const rooms = new RoomServiceClient(server.httpUrl, pair.key, pair.secret);
      expect(Array.isArray(await rooms.listRooms())).toBe(true);
    }
    const stranger = new RoomServiceClient(server.httpUrl, 'APIunknown', 'x'.repeat(40));
    await expect(stranger.listRooms()).rejects.toMatchObject({ status: 401 });
    expect(server.log()).toContain('starting LiveKit server');
  });
});
