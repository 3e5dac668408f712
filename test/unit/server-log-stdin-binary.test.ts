import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openServerLogSource } from '../../src/checks/support/server-log-source.js';
import { NotAServerLogError } from '../../src/evidence/server-log.js';

describe('--server-log - fed something that is not a log', () => {
  it('binary on stdin is named as such, not taken for "nothing arrived yet"', async () => {
    const stdin = new PassThrough();
    const source = openServerLogSource({ server: {}, createdRooms: [] }, '-', stdin);
    stdin.write(Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919) % 256)));
    await new Promise((r) => setImmediate(r));
    await expect(source.read()).rejects.toBeInstanceOf(NotAServerLogError);
    source.close();
  });

  it('a log line still being written waits for its newline; a complete one is read', async () => {
    const stdin = new PassThrough();
    const source = openServerLogSource({ server: {}, createdRooms: [] }, '-', stdin);
    const line = '2026-12-01T09:04:23.846Z\tINFO\tlivekit\trtc/participant.go:1475\tparticipant closing\t{"room": "r"}';
    stdin.write(line);
    await new Promise((r) => setImmediate(r));
    await expect(source.read()).rejects.not.toBeInstanceOf(NotAServerLogError);
    stdin.write('\n');
    await new Promise((r) => setImmediate(r));
    expect((await source.read()).entries).toHaveLength(1);
    source.close();
  });
});
