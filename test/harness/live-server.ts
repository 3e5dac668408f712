import { beforeAll, afterAll, afterEach, expect } from 'vitest';
import { RoomServiceClient } from 'livekit-server-sdk';
import { startLiveKitServer, type LiveKitServer, type StartOptions } from './server.js';
import { expectNothingLeft } from './leftovers.js';
import { disposeRtc } from '../../src/livekit/participant.js';

export interface LiveServerUse {
  /** Receives the server once it runs. */
  onStart?(server: LiveKitServer): void;
  /** Rooms a test created: deleted after each test. */
  rooms?: Set<string>;
  /**
   * Workers a test started: stopped after each test. Not for what a file starts once in its own beforeAll
   * (fixture agents shared by all its tests): stop those in the file's afterAll, which runs before this one's.
   */
  workers?: { stop(): Promise<void> }[];
  /** How the server is started (own keys, JSON log, extra config). */
  options?: StartOptions;
}

/**
 * A real livekit-server, for a test that needs one of its own (a server it stops, freezes or lets die).
 * A free port can be taken by another process between picking and binding (other test files, other
 * servers): the start is retried, at most 3 times, only for that.
 */
export async function startLiveServer(opts: StartOptions = {}): Promise<LiveKitServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startLiveKitServer(opts);
    } catch (err) {
      if (attempt >= 3 || !/exited during start/.test((err as Error).message)) throw err;
    }
  }
}

/**
 * One real livekit-server shared by the tests of a file (or of the describe block it is called in): what
 * each test made is removed after it, and at the end the server must hold no `livekit-doctor*` room or
 * dispatch (a leftover fails the file). Returns the server, for use inside hooks and tests.
 *
 * Hooks run in the order vitest stacks them: a file's own beforeAll registered after this call sees the
 * server running; its own afterAll runs before this one's leftover check and stop.
 */
export function useLiveServer(use: LiveServerUse = {}): () => LiveKitServer {
  let server: LiveKitServer | undefined;
  beforeAll(async () => {
    server = await startLiveServer(use.options);
    use.onStart?.(server);
  });
  afterEach(async () => {
    await Promise.all((use.workers ?? []).splice(0).map((w) => w.stop()));
    if (!server || !use.rooms) return;
    const rooms = new RoomServiceClient(server.httpUrl, server.keys[0]!.key, server.keys[0]!.secret);
    for (const r of use.rooms) await rooms.deleteRoom(r).catch(() => {});
    use.rooms.clear();
  });
  afterAll(async () => {
    try {
      if (server) await expectNothingLeft(server);
    } finally {
      await server?.stop();
      await disposeRtc();
    }
  });
  return () => server ?? expect.fail('the live server is not running: use it inside a hook or a test of this file');
}
