import type { RoomView } from '../../livekit/server-api.js';
import type { TokenInspection } from '../../livekit/token-inspect.js';
import type { CheckContext, CheckOptions } from '../check.js';

/** The app's token as the token checks pass it along (in RunFacts; never in evidence or output). */
export interface UserToken {
  jwt: string;
  source: 'endpoint' | 'flag';
  /** The server URL the endpoint named. */
  serverUrl?: string;
  inspection?: TokenInspection;
  /** The token's room as ListRooms saw it before the doctor joined: null = not live. */
  roomBefore?: RoomView | null;
}

export const hasUserToken = (o: CheckOptions) => !!o.tokenEndpoint || !!o.token;

export function userToken(ctx: CheckContext): UserToken | undefined {
  const existing = ctx.facts.userToken as UserToken | undefined;
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
