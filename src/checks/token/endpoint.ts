import { EndpointError, fetchEndpointToken } from '../../evidence/token-endpoint.js';
import { fail, pass, warn, type Check } from '../check.js';
import type { UserToken } from '../support/user-token.js';

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

export const tokenEndpoint: Check = {
  id: 'token.endpoint',
  title: "The app's token endpoint answers with a token",
  needs: [],
  deadlineMs: (ctx) => ctx.settings.timeoutMs + 2_000,
  appliesTo: (o) => !!o.tokenEndpoint,
  async run(ctx) {
    const url = ctx.options.tokenEndpoint!;
    const method = ctx.options.tokenEndpointBody !== undefined ? 'POST' : 'GET';
    ctx.timeline.add('app', 'token-endpoint-request', { method });
    let answer;
    try {
      answer = await fetchEndpointToken(url, { body: ctx.options.tokenEndpointBody, timeoutMs: ctx.settings.timeoutMs, signal: ctx.signal });
    } catch (err) {
      if (!(err instanceof EndpointError)) throw err;
      return fail(`${method} ${url}: ${err.message}`, { cause: err.cause_, fix: { text: err.fix }, evidence: { method, status: err.status } });
    }
    ctx.timeline.add('app', 'token-endpoint-answer', { status: answer.status, shape: answer.shape });
    const token: UserToken = { jwt: answer.jwt, source: 'endpoint', ...(answer.serverUrl ? { serverUrl: answer.serverUrl } : {}) };
    ctx.facts.userToken = token;
    const evidence = { method, status: answer.status, shape: answer.shape, elapsedMs: answer.elapsedMs, serverUrl: answer.serverUrl };
    const summary = `${method} answered ${answer.status} in ${answer.elapsedMs} ms with a token (${answer.shape} shape${answer.serverUrl ? `, server_url ${answer.serverUrl}` : ''})`;
    const configured = ctx.settings.url?.value;
    if (answer.serverUrl && configured && hostOf(answer.serverUrl) !== hostOf(configured)) {
      return warn(`${summary}, but it names server ${hostOf(answer.serverUrl)} while the doctor is configured for ${hostOf(configured)}`, {
        cause: 'token-endpoint-other-server',
        details: ['the frontend will join a room on a different server (or project) than the one the doctor checks: agents registered on one never see rooms on the other'],
        fix: { text: "make the backend's LIVEKIT_URL the same as the agent's, or point the doctor at the endpoint's server with --url" },
        evidence,
      });
    }
    return pass(summary, { evidence });
  },
};
