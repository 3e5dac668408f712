import { failedCall } from '../support/failure.js';
import { fail, pass, warn, type Check } from '../check.js';

export const serverReachable: Check = {
  id: 'server.reachable',
  title: 'Server is reachable over HTTP',
  needs: ['settings.valid'],
  deadlineMs: (ctx) => ctx.settings.timeoutMs + 1_000,
  async run(ctx) {
    let probe;
    try {
      probe = await ctx.api().probeHttp(ctx.signal);
    } catch (err) {
      return failedCall(err, `GET ${ctx.connection!.httpUrl}/`);
    }
    ctx.facts.server.roundTripMs = Math.round(probe.roundTripMs * 10) / 10;
    if (probe.clockOffsetMs !== undefined) ctx.facts.server.clockOffsetMs = probe.clockOffsetMs;
    const evidence = { status: probe.status, roundTripMs: ctx.facts.server.roundTripMs, body: probe.body.slice(0, 80) };
    if (probe.status === 200) return pass(`${ctx.connection!.httpUrl} answered 200 in ${probe.roundTripMs.toFixed(1)} ms`, { evidence });
    if (probe.status === 406) {
      return warn(`the server answered 406 "Not Ready" in ${probe.roundTripMs.toFixed(0)} ms (its node stats are stale)`, {
        cause: 'server-not-ready',
        evidence,
        fix: { text: 'the server is up but reports itself not ready; check its logs and load' },
      });
    }
    return fail(`${ctx.connection!.httpUrl} answered HTTP ${probe.status}, not a LiveKit server's 200 OK`, {
      cause: probe.status === 404 ? 'not-found' : 'unexpected-http-status',
      evidence,
      fix: { text: 'check that the URL points at the LiveKit server itself (no path, not a web app or proxy page)' },
    });
  },
};
