/**
 * The user's side, with the client users really have: headless Chromium running livekit-client with a
 * fake microphone joins the user's room next to a real agent; `check --room` then says whether the
 * user publishes a microphone the agent can hear — publishing, muted, or never enabled.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { AccessToken, AgentDispatchClient, RoomServiceClient } from 'livekit-server-sdk';
import type { LiveKitServer } from '../harness/server.js';
import { startAgent, type RunningAgent } from '../harness/agents.js';
import { doctorJson, describeRun, expectNothingLeft, startServer, uniqueId } from '../harness/scenarios.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const chromiumPath = process.env.LKD_CHROMIUM_PATH || '/usr/bin/chromium';

describe("the user's microphone, from a real browser", () => {
  let server: LiveKitServer;
  let agent: RunningAgent;
  let browser: Browser;
  let pages: Server;
  let pagesUrl = '';

  beforeAll(async () => {
    server = await startServer();
    const { key, secret } = server.keys[0]!;
    agent = await startAgent({ framework: 'python', url: server.url, apiKey: key, apiSecret: secret, agentName: `browser-${uniqueId()}`, behaviour: 'healthy' });
    const files: Record<string, [string, string]> = {
      '/': [join(repoRoot, 'test', 'fixtures', 'browser', 'user.html'), 'text/html'],
      '/livekit-client.umd.js': [join(repoRoot, 'node_modules', 'livekit-client', 'dist', 'livekit-client.umd.js'), 'text/javascript'],
    };
    pages = createServer((req, res) => {
      const file = files[req.url ?? ''];
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': file[1] }).end(readFileSync(file[0]));
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    pagesUrl = `http://127.0.0.1:${(pages.address() as { port: number }).port}/`;
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: chromiumPath,
      timeout: 30_000,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', '--autoplay-policy=no-user-gesture-required', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close().catch(() => {});
    await new Promise((r) => pages?.close(r));
    await agent?.stop().catch(() => {});
    await server?.stop();
  });

  for (const [microphone, cause] of [
    ['publish', undefined],
    ['muted', 'user-microphone-muted'],
    ['none', 'user-microphone-missing'],
  ] as const) {
    it(`microphone ${microphone}: ${cause ?? 'no microphone problem'}`, async () => {
      const { key, secret } = server.keys[0]!;
      const room = `user-room-${microphone}-${uniqueId()}`;
      const identity = `browser-user-${microphone}`;
      const rooms = new RoomServiceClient(server.httpUrl, key, secret);
      // Like a backend: the room, the agent dispatched into it, a token for the user.
      await rooms.createRoom({ name: room, emptyTimeout: 30 });
      await new AgentDispatchClient(server.httpUrl, key, secret).createDispatch(room, agent.agentName);
      const token = new AccessToken(key, secret, { identity, ttl: '10m' });
      token.addGrant({ roomJoin: true, room, canPublish: true, canSubscribe: true });
      const page = await browser.newPage();
      // Nothing but the page and the local server: any other request is a bug of the test.
      await page.route('**/*', (route) => (route.request().url().startsWith(pagesUrl) ? route.continue() : route.abort()));
      try {
        await page.goto(pagesUrl);
        expect(await page.evaluate(([url, jwt, mic]) => (globalThis as unknown as { joinRoom(u: string, t: string, m: string): Promise<string> }).joinRoom(url, jwt, mic), [server.url, await token.toJwt(), microphone] as const)).toBe(identity);
        // The server has the user's track state once the publication is acknowledged.
        for (let i = 0; i < 50; i++) {
          const me = (await rooms.listParticipants(room)).find((p) => p.identity === identity);
          if (microphone === 'none' || (me?.tracks.length && (microphone !== 'muted' || me.tracks[0]!.muted))) break;
          await new Promise((r) => setTimeout(r, 100));
        }
        const run = await doctorJson(server, ['--room', room, '--agent', agent.agentName, '--only', 'room']);
        const problems = (run.check('room.inspect').evidence?.problems as { cause: string }[] | undefined) ?? [];
        if (cause) {
          expect(problems.map((p) => p.cause), describeRun(run)).toContain(cause);
          expect(run.report.findings.map((f) => f.cause), describeRun(run)).toContain(cause);
        } else {
          expect(problems.map((p) => p.cause).filter((c) => c.startsWith('user-microphone')), describeRun(run)).toEqual([]);
        }
      } finally {
        await page.evaluate(() => (globalThis as unknown as { leaveRoom(): Promise<void> }).leaveRoom()).catch(() => {});
        await page.close();
        await rooms.deleteRoom(room).catch(() => {});
      }
      await expectNothingLeft(server);
    }, 90_000);
  }
});
