/**
 * What a LiveKit access token really says, without trusting the app that made it: decoded claims, the
 * signature checked against the configured secret, times against both clocks, grants and the agent
 * dispatches its room configuration carries. No network. The signature is judged by the SDK's own
 * `TokenVerifier` (livekit-server-sdk, on jose) — the same code an app's backend uses — with the
 * doctor's wording on top (`inspectTokenVerified`); `inspectToken` is the synchronous, claims-only part.
 * The token itself is never part of the result, only its claims. Nothing here throws except
 * TokenFormatError (a malformed token), whatever the input.
 */
import { maskKey } from '../core/redact.js';
import { loadServerSdk } from './sdk.js';

/** The server accepts tokens up to this far outside nbf/exp (`tokenLeeway` in livekit/protocol). */
export const SERVER_LEEWAY_MS = 60_000;
export const TOKEN_SCHEMA = 'livekit-doctor/token@1';

export class TokenFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenFormatError';
  }
}

export interface TokenDispatchView {
  agentName: string;
  metadata?: string;
  deployment?: string;
}

export interface TokenClaimsView {
  /** The API key that signed it (`iss`), masked. */
  issuer?: string;
  identity?: string;
  name?: string;
  kind?: string;
  metadata?: string;
  attributes?: Record<string, string>;
  notBeforeMs?: number;
  expiresAtMs?: number;
  issuedAtMs?: number;
  video: Record<string, unknown>;
  /** `roomConfig` as the token carries it (protojson). */
  roomConfig?: Record<string, unknown>;
  agentDispatches: TokenDispatchView[];
}

export type SignatureVerdict = 'valid' | 'bad-signature' | 'other-key' | 'not-verified' | 'unsupported-algorithm';

export interface TokenProblem {
  severity: 'error' | 'warning';
  code: string;
  message: string;
}

export interface TokenInspection {
  header: Record<string, unknown>;
  claims: TokenClaimsView;
  signature: { verdict: SignatureVerdict; detail: string };
  clocks: { localNowMs: number; serverNowMs?: number };
  problems: TokenProblem[];
  /** False when the server would refuse it: bad signature, expired, not yet valid, malformed. */
  valid: boolean;
}

export interface InspectOptions {
  apiKey?: string;
  apiSecret?: string;
  localNowMs?: number;
  /** The server's clock (its `Date` header), when a server was reachable. */
  serverNowMs?: number;
  /** The signature verdict, judged beforehand (inspectTokenVerified does it with the SDK's TokenVerifier). */
  signature?: TokenInspection['signature'];
}

/**
 * Accepts what people paste: `Bearer eyJ…`, `Authorization: Bearer …`, quoted strings, a JSON line holding
 * a token. Returns the bare JWT or throws TokenFormatError.
 */
export function cleanTokenInput(raw: string): string {
  let text = raw.trim();
  // Peel wrappers in any order: `"Bearer eyJ…"`, `Authorization: Bearer eyJ…`, `'eyJ…',`.
  for (let i = 0; i < 4; i++) {
    text = text.replace(/^authorization\s*:\s*/i, '').replace(/^bearer\s+/i, '').replace(/^["'`]+|["'`,;]+$/g, '').trim();
  }
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(text)) return text;
  const found = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/.exec(raw);
  if (found) return found[0];
  if (!text) throw new TokenFormatError('no token given (empty input)');
  throw new TokenFormatError('this is not a JWT: a LiveKit token has three dot-separated base64url parts and starts with "eyJ"');
}

function decodePart(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new TokenFormatError(`the token's ${what} is not base64url-encoded JSON: the token was cut or altered`);
}

/** A pasted token is a few hundred bytes; a megabyte of "token" is not one (and is not decoded). */
export const MAX_TOKEN_CHARS = 16 * 1024;

export function decodeToken(jwt: string): { header: Record<string, unknown>; payload: Record<string, unknown> } {
  if (jwt.length > MAX_TOKEN_CHARS) throw new TokenFormatError(`this is ${jwt.length} characters long: a LiveKit token is at most a few KB`);
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new TokenFormatError(`a JWT has 3 parts, this has ${parts.length}: the token was cut or altered`);
  if (!parts.every((p) => /^[A-Za-z0-9_-]*$/.test(p))) throw new TokenFormatError('the token holds characters outside base64url: it was altered (or is not a JWT)');
  return {
    header: decodePart(parts[0]!, 'header'),
    payload: decodePart(parts[1]!, 'claims part'),
  };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
/** Seconds → ms, only inside the range a Date can hold (a claim of 1e300 is no time). */
const secondsToMs = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && Math.abs(v * 1000) <= 8.64e15 ? v * 1000 : undefined);

function dispatchesOf(roomConfig: Record<string, unknown> | undefined): TokenDispatchView[] {
  const agents = roomConfig?.agents;
  if (!Array.isArray(agents)) return [];
  return agents
    .filter((a): a is Record<string, unknown> => !!a && typeof a === 'object')
    .map((a) => {
      const metadata = str(a.metadata);
      const deployment = str(a.deployment);
      // protojson accepts snake_case on input, so apps may write either spelling.
      return { agentName: str(a.agentName) ?? str(a.agent_name) ?? '', ...(metadata ? { metadata } : {}), ...(deployment ? { deployment } : {}) };
    });
}

export function claimsView(payload: Record<string, unknown>): TokenClaimsView {
  const video = payload.video && typeof payload.video === 'object' ? (payload.video as Record<string, unknown>) : {};
  const rawConfig = payload.roomConfig ?? payload.room_config;
  const roomConfig = rawConfig && typeof rawConfig === 'object' ? (rawConfig as Record<string, unknown>) : undefined;
  const attributes = payload.attributes && typeof payload.attributes === 'object' ? (payload.attributes as Record<string, string>) : undefined;
  const view: TokenClaimsView = { video, agentDispatches: dispatchesOf(roomConfig) };
  const iss = str(payload.iss);
  if (iss) view.issuer = maskKey(iss);
  const fields: [keyof TokenClaimsView, string | undefined][] = [
    ['identity', str(payload.sub)],
    ['name', str(payload.name)],
    ['kind', str(payload.kind)],
    ['metadata', str(payload.metadata)],
  ];
  for (const [k, v] of fields) if (v) (view as unknown as Record<string, unknown>)[k] = v;
  if (attributes && Object.keys(attributes).length) view.attributes = attributes;
  const times: [keyof TokenClaimsView, number | undefined][] = [
    ['notBeforeMs', secondsToMs(payload.nbf)],
    ['expiresAtMs', secondsToMs(payload.exp)],
    ['issuedAtMs', secondsToMs(payload.iat)],
  ];
  for (const [k, v] of times) if (v !== undefined) (view as unknown as Record<string, unknown>)[k] = v;
  if (roomConfig) view.roomConfig = roomConfig;
  return view;
}

/** What can be said before any cryptography: a wrong algorithm, another project's key, no secret. */
function preVerdict(header: Record<string, unknown>, iss: string | undefined, opts: InspectOptions): TokenInspection['signature'] | undefined {
  if (header.alg !== 'HS256') {
    return { verdict: 'unsupported-algorithm', detail: `signed with ${JSON.stringify(header.alg ?? null)}; LiveKit accepts only HS256` };
  }
  if (opts.apiKey && iss && iss !== opts.apiKey) {
    return {
      verdict: 'other-key',
      detail: `issued by another API key / project: the token's key ${maskKey(iss)} is not the configured key ${maskKey(opts.apiKey)}, so its signature cannot be checked here`,
    };
  }
  if (!opts.apiSecret) return { verdict: 'not-verified', detail: 'signature not verified: no API secret is configured (--api-secret, LIVEKIT_API_SECRET or an env file)' };
  return undefined;
}

/** jose checks the signature before any claim: a claim error (expired, nbf, iss, no exp) means the signature held. */
const CLAIM_ERRORS = new Set(['ERR_JWT_EXPIRED', 'ERR_JWT_CLAIM_VALIDATION_FAILED']);

/**
 * The signature judged by livekit-server-sdk's `TokenVerifier` (jose `jwtVerify`, issuer = the configured key),
 * worded by the doctor. Never throws.
 */
export async function verifySignature(jwt: string, opts: InspectOptions): Promise<TokenInspection['signature']> {
  let decoded;
  try {
    decoded = decodeToken(jwt);
  } catch (err) {
    return { verdict: 'bad-signature', detail: `not a well-formed token: ${(err as Error).message}` };
  }
  const iss = str(decoded.payload.iss);
  const early = preVerdict(decoded.header, iss, opts);
  if (early) return early;
  const key = maskKey(iss ?? opts.apiKey);
  const valid = { verdict: 'valid', detail: `signature valid: signed with the configured secret of key ${key}` } as const;
  try {
    const { TokenVerifier } = loadServerSdk();
    // The issuer the verifier demands: the token's own when no key is configured (only the secret is judged then).
    await new TokenVerifier(opts.apiKey ?? iss ?? '', opts.apiSecret!).verify(jwt, 0);
    return valid;
  } catch (err) {
    const code = (err as { code?: string })?.code;
    if (code && CLAIM_ERRORS.has(code)) return valid;
    if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') {
      return { verdict: 'bad-signature', detail: `bad signature: key ${key} matches, but the token was signed with a different secret (or altered); the server will refuse it` };
    }
    return { verdict: 'bad-signature', detail: `the token cannot be verified (${code ?? 'error'}: ${String((err as Error)?.message ?? err).slice(0, 120)}); the server will refuse it` };
  }
}

/** inspectToken with the signature judged by the SDK's TokenVerifier. Throws only TokenFormatError. */
export async function inspectTokenVerified(jwt: string, opts: InspectOptions = {}): Promise<TokenInspection> {
  decodeToken(jwt);
  return inspectToken(jwt, { ...opts, signature: opts.signature ?? (await verifySignature(jwt, opts)) });
}

const fmtDelta = (ms: number) => {
  const s = Math.round(Math.abs(ms) / 1000);
  return s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;
};

function timeProblems(claims: TokenClaimsView, nowMs: number, clock: string): TokenProblem[] {
  const out: TokenProblem[] = [];
  if (claims.expiresAtMs !== undefined && claims.expiresAtMs <= nowMs) {
    out.push({ severity: 'error', code: 'expired', message: `expired ${fmtDelta(nowMs - claims.expiresAtMs)} ago by ${clock}` });
  }
  if (claims.notBeforeMs !== undefined && claims.notBeforeMs > nowMs) {
    const early = claims.notBeforeMs - nowMs;
    out.push(
      early > SERVER_LEEWAY_MS
        ? { severity: 'error', code: 'not-yet-valid', message: `not valid yet by ${clock}: nbf is ${fmtDelta(early)} ahead (the server allows 60 s); the clock of whatever minted it runs fast` }
        : { severity: 'warning', code: 'nbf-in-future', message: `nbf is ${fmtDelta(early)} ahead by ${clock}: accepted only thanks to the server's 60 s leeway` },
    );
  }
  return out;
}

/**
 * Everything the doctor can say about a token without a network call or cryptography: claims, times,
 * grants. The signature verdict comes from `opts.signature` (see inspectTokenVerified); without it only
 * what needs no key is judged (algorithm, other project, no secret), else "not verified".
 */
export function inspectToken(jwt: string, opts: InspectOptions = {}): TokenInspection {
  const decoded = decodeToken(jwt);
  const claims = claimsView(decoded.payload);
  const localNowMs = opts.localNowMs ?? Date.now();
  const signature =
    opts.signature ??
    preVerdict(decoded.header, str(decoded.payload.iss), opts) ?? { verdict: 'not-verified' as const, detail: 'signature not checked (claims only)' };
  const problems: TokenProblem[] = [];
  if (signature.verdict === 'bad-signature' || signature.verdict === 'unsupported-algorithm') {
    problems.push({ severity: 'error', code: signature.verdict, message: signature.detail });
  }
  if (signature.verdict === 'other-key') problems.push({ severity: 'warning', code: 'other-key', message: signature.detail });
  if (!decoded.payload.iss) problems.push({ severity: 'error', code: 'no-issuer', message: 'no iss claim: the server looks up the secret by it and will refuse the token' });
  if (claims.expiresAtMs === undefined) problems.push({ severity: 'warning', code: 'no-expiry', message: 'no exp claim: LiveKit SDKs refuse tokens without an expiry' });
  // The server's clock decides; the local one only explains a difference.
  problems.push(...timeProblems(claims, opts.serverNowMs ?? localNowMs, opts.serverNowMs !== undefined ? "the server's clock" : 'the local clock'));
  if (opts.serverNowMs !== undefined) {
    for (const p of timeProblems(claims, localNowMs, 'the local clock')) {
      if (!problems.some((q) => q.code === p.code)) problems.push({ ...p, severity: 'warning', message: `${p.message} (but not by the server's clock: this machine's clock is off)` });
    }
  }
  const video = claims.video;
  if (video.roomJoin !== true) problems.push({ severity: 'warning', code: 'no-room-join', message: 'no roomJoin grant: this token cannot join a room' });
  else if (!str(video.room)) problems.push({ severity: 'warning', code: 'no-room', message: 'roomJoin without a room: the token does not say which room it joins' });
  if (video.roomJoin === true && !claims.identity) problems.push({ severity: 'warning', code: 'no-identity', message: 'roomJoin without an identity (sub): the server refuses the join' });
  if (video.canSubscribe === false) problems.push({ severity: 'warning', code: 'cannot-subscribe', message: 'canSubscribe is false: this user will not hear the agent' });
  if (video.canPublish === false) problems.push({ severity: 'warning', code: 'cannot-publish', message: 'canPublish is false: the agent will not hear this user' });
  else if (Array.isArray(video.canPublishSources) && !video.canPublishSources.some((s) => String(s).toLowerCase() === 'microphone')) {
    problems.push({ severity: 'warning', code: 'cannot-publish-microphone', message: `canPublishSources is [${video.canPublishSources.join(', ')}] without microphone: the user cannot publish a microphone, so the agent will not hear them` });
  }
  for (const d of claims.agentDispatches) {
    if (!d.agentName) problems.push({ severity: 'warning', code: 'unnamed-dispatch', message: 'the room configuration dispatches an agent with an empty name: only workers registered without a name take it' });
  }
  const valid = !problems.some((p) => p.severity === 'error');
  return { header: decoded.header, claims, signature, clocks: { localNowMs, ...(opts.serverNowMs !== undefined ? { serverNowMs: opts.serverNowMs } : {}) }, problems, valid };
}

/** The warning for a token whose room is already live: its roomConfig (and agent dispatch) will be ignored. */
export function liveRoomProblem(inspection: TokenInspection, room: { name: string; createdAtMs: number; numParticipants: number }, nowMs = Date.now()): TokenProblem | undefined {
  if (!inspection.claims.agentDispatches.length) return undefined;
  const names = inspection.claims.agentDispatches.map((d) => `"${d.agentName}"`).join(', ');
  return {
    severity: 'warning',
    code: 'room-already-live',
    message: `room "${room.name}" is already live on the server (created ${fmtDelta(nowMs - room.createdAtMs)} ago, ${room.numParticipants} participant(s)): the token's dispatch of ${names} will be ignored, because the server applies a token's room configuration only when the join creates the room`,
  };
}
