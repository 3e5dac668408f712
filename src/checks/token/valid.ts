import { inspectTokenVerified, TokenFormatError } from '../../livekit/token-inspect.js';
import { userToken, hasUserToken } from '../support/user-token.js';
import { fail, pass, warn, type Check } from '../check.js';

const CAUSES: Record<string, string> = {
  'bad-signature': 'token-bad-signature',
  'unsupported-algorithm': 'token-bad-signature',
  expired: 'token-expired',
  'not-yet-valid': 'token-not-yet-valid',
  'no-issuer': 'token-malformed',
};

const FIXES: Record<string, string> = {
  'bad-signature': "the backend signs with another secret than this project's: compare LIVEKIT_API_SECRET in the backend's env with the agent's",
  expired: 'the app hands out an old token (cached, or a short TTL): mint a fresh token for each join',
  'not-yet-valid': 'the clock of the machine that mints tokens runs fast: sync it (NTP)',
};

export const tokenValid: Check = {
  id: 'token.valid',
  title: "The app's token is valid for this project",
  needs: ['token.endpoint'],
  deadlineMs: (ctx) => ctx.settings.timeoutMs + 2_000,
  appliesTo: hasUserToken,
  async run(ctx) {
    const token = userToken(ctx)!;
    let serverNowMs: number | undefined;
    if (ctx.connection) {
      try {
        const probe = await ctx.api().probeHttp(ctx.signal);
        if (probe.clockOffsetMs !== undefined) serverNowMs = Date.now() - probe.clockOffsetMs;
      } catch {
        // the server checks report reachability; here the local clock has to do
      }
    }
    let inspection;
    try {
      inspection = await inspectTokenVerified(token.jwt, { apiKey: ctx.settings.apiKey?.value, apiSecret: ctx.settings.apiSecret?.value, serverNowMs });
    } catch (err) {
      if (!(err instanceof TokenFormatError)) throw err;
      return fail(`the ${token.source === 'endpoint' ? "endpoint's" : 'given'} token is not a JWT: ${err.message}`, { cause: 'token-malformed' });
    }
    token.inspection = inspection;
    const c = inspection.claims;
    const evidence = {
      issuer: c.issuer,
      identity: c.identity,
      room: c.video.room,
      signature: inspection.signature.verdict,
      expiresAt: c.expiresAtMs ? new Date(c.expiresAtMs).toISOString() : undefined,
      agentDispatches: c.agentDispatches.map((d) => d.agentName),
      problems: inspection.problems.map((p) => p.code),
    };
    const details = inspection.problems.map((p) => `${p.severity}: ${p.message}`);
    const who = `identity "${c.identity ?? ''}", room "${String(c.video.room ?? '')}", key ${c.issuer ?? '(none)'}`;
    const error = inspection.problems.find((p) => p.severity === 'error');
    if (error) {
      return fail(`${error.message} (${who})`, {
        cause: CAUSES[error.code] ?? 'token-invalid',
        details,
        fix: { text: FIXES[error.code] ?? 'mint the token with livekit-server-sdk AccessToken and this project\'s key and secret' },
        evidence,
      });
    }
    if (inspection.signature.verdict === 'other-key') {
      return warn(`${inspection.signature.detail} (${who})`, {
        cause: 'token-other-project',
        details,
        fix: { text: "the backend mints tokens with another API key than the doctor uses: if that key belongs to another project, the user's room and the agent live in different projects; use one project's URL, key and secret everywhere" },
        evidence,
      });
    }
    if (inspection.problems.length) return warn(`${inspection.problems[0]!.message} (${who})`, { cause: `token-${inspection.problems[0]!.code}`, details, evidence });
    return pass(`${inspection.signature.verdict === 'valid' ? 'signature valid' : 'signature not verified'}; ${who}; expires ${evidence.expiresAt ?? 'never'}`, { evidence });
  },
};
