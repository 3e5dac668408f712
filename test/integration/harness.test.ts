import { describe, it, expect } from 'vitest';
import { createServer, connect, type AddressInfo } from 'node:net';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { LiveKitServer } from '../harness/server.js';
import { useLiveServer } from '../harness/live-server.js';
import { startTcpRelay } from '../harness/tcp-relay.js';

describe('harness: a real livekit-server on loopback', () => {
  let server: LiveKitServer;
  useLiveServer({ onStart: (s) => (server = s) });

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

describe('harness: the loopback TCP relay', () => {
  it('forwards an HTTP answer up to the end of its headers, holds what follows until released, and forwards the client unchanged', async () => {
    const got: Buffer[] = [];
    // A server that answers an upgrade in two writes, the blank line split between them, and then sends a frame.
    const upstream = createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', (request) => {
        got.push(request);
        socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r');
        setImmediate(() => socket.write('\nFRAME-1'));
        socket.on('data', (more) => got.push(more));
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const relay = await startTcpRelay({ port: (upstream.address() as AddressInfo).port });
    relay.holdAfterUpgrade();
    const client = connect({ host: '127.0.0.1', port: relay.port });
    let seen = '';
    client.on('data', (d) => (seen += d));
    try {
      client.write('GET /agent HTTP/1.1\r\n\r\n');
      await expect.poll(() => seen, { timeout: 5000 }).toBe('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n');
      await expect.poll(() => relay.heldBytes, { timeout: 5000 }).toBe('FRAME-1'.length);
      client.write('REGISTER');
      await expect.poll(() => Buffer.concat(got).toString(), { timeout: 5000 }).toBe('GET /agent HTTP/1.1\r\n\r\nREGISTER');
      expect(relay.clientBytesAfterUpgrade).toBe('REGISTER'.length);
      expect(seen).not.toContain('FRAME');
      relay.release();
      await expect.poll(() => seen, { timeout: 5000 }).toMatch(/\r\n\r\nFRAME-1$/);
      expect(relay.connections).toBe(1);
    } finally {
      client.destroy();
      await relay.close();
      await new Promise((r) => upstream.close(r));
    }
  });
});
