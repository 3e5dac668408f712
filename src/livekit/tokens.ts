/**
 * Tokens the doctor mints. livekit-server-sdk loads lazily: `--help` must stay fast.
 * A token is a secret: never print one (redact() removes JWT-shaped text anyway).
 */
import { loadServerSdk } from './sdk.js';

export interface JoinTokenOptions {
  apiKey: string;
  apiSecret: string;
  room: string;
  identity: string;
  name?: string;
  /** Seconds or a zeit/ms string such as '10m' (default '10m'). */
  ttl?: string | number;
  canPublish?: boolean;
  canSubscribe?: boolean;
  /** Dispatch an agent when this token's join creates the room (ignored by the server if the room is live). */
  agentDispatch?: { agentName: string; metadata?: string };
}

/** A token for the agent worker socket: only `video.agent` is checked by the server. */
export async function mintWorkerToken(apiKey: string, apiSecret: string, ttl: string | number = '10m'): Promise<string> {
  const { AccessToken } = loadServerSdk();
  const token = new AccessToken(apiKey, apiSecret, { ttl });
  token.addGrant({ agent: true });
  return token.toJwt();
}

/** A token for a listener participant (the voice check, `token` commands). */
export async function mintJoinToken(opts: JoinTokenOptions): Promise<string> {
  const { AccessToken, RoomConfiguration, RoomAgentDispatch } = loadServerSdk();
  const token = new AccessToken(opts.apiKey, opts.apiSecret, {
    identity: opts.identity,
    ttl: opts.ttl ?? '10m',
    ...(opts.name !== undefined ? { name: opts.name } : {}),
  });
  token.addGrant({
    roomJoin: true,
    room: opts.room,
    canPublish: opts.canPublish ?? true,
    canSubscribe: opts.canSubscribe ?? true,
    canPublishData: true,
  });
  if (opts.agentDispatch) {
    token.roomConfig = new RoomConfiguration({
      agents: [new RoomAgentDispatch({ agentName: opts.agentDispatch.agentName, metadata: opts.agentDispatch.metadata ?? '' })],
    });
  }
  return token.toJwt();
}
