import type { TokenInspection } from '../../livekit/token-inspect.js';
import type { CheckContext, CheckOptions } from '../check.js';
import type { UserToken } from '../facts.js';

export type { UserToken };

export const hasUserToken = (o: CheckOptions) => !!o.tokenEndpoint || !!o.token;

export function userToken(ctx: CheckContext): UserToken | undefined {
  const existing = ctx.facts.userToken;
  if (existing) return existing;
  if (!ctx.options.token) return undefined;
  const fromFlag: UserToken = { jwt: ctx.options.token, source: 'flag' };
  ctx.facts.userToken = fromFlag;
  return fromFlag;
}

export function roomOf(inspection: TokenInspection | undefined): string | undefined {
  const room = inspection?.claims.video.room;
  return typeof room === 'string' && room ? room : undefined;
}

export const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
