import { describe, it, expect } from 'vitest';
import { createHmac } from 'node:crypto';
import { AccessToken, RoomAgentDispatch, RoomConfiguration } from 'livekit-server-sdk';
import { cleanTokenInput, inspectToken, inspectTokenVerified, liveRoomProblem, TokenFormatError } from '../../src/livekit/token-inspect.js';
import { inspectionJson, renderInspectionText } from '../../src/commands/token/render.js';

const KEY = 'APIunitkey123';
const SECRET = 'SECRETLEAKCANARYunit0123456789abcdef';

/** A hand-signed HS256 token, so that times can be anything. */
function sign(payload: Record<string, unknown>, secret = SECRET): string {
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

const now = Date.UTC(2026, 0, 1, 12, 0, 0);
const s = (ms: number) => Math.floor(ms / 1000);
const base = { iss: KEY, sub: 'alice', nbf: s(now - 10_000), exp: s(now + 3_600_000), video: { roomJoin: true, room: 'demo' } };
const codes = (t: ReturnType<typeof inspectToken>) => t.problems.map((p) => p.code);

async function sdkToken(agent?: string): Promise<string> {
  const at = new AccessToken(KEY, SECRET, { identity: 'bob', name: 'Bob', ttl: '1h' });
  at.addGrant({ roomJoin: true, room: 'my-room', canPublish: true, canSubscribe: true });
  if (agent) at.roomConfig = new RoomConfiguration({ agents: [new RoomAgentDispatch({ agentName: agent, metadata: '{"x":1}' })] });
  return at.toJwt();
}

describe('inspectToken', () => {
  it('a valid SDK token: signature verified, identity, grants, no problems', async () => {
    const t = await inspectTokenVerified(await sdkToken(), { apiKey: KEY, apiSecret: SECRET });
    expect(t.valid).toBe(true);
    expect(t.signature.verdict).toBe('valid');
    expect(t.claims.identity).toBe('bob');
    expect(t.claims.name).toBe('Bob');
    expect(t.claims.issuer).toBe('APIu…');
    expect(t.claims.video).toMatchObject({ roomJoin: true, room: 'my-room' });
    expect(t.claims.agentDispatches).toEqual([]);
    expect(t.problems).toEqual([]);
  });

  it('reads the agent dispatch from roomConfig (with metadata)', async () => {
    const t = inspectToken(await sdkToken('my-agent'), { apiKey: KEY, apiSecret: SECRET });
    expect(t.claims.agentDispatches).toEqual([{ agentName: 'my-agent', metadata: '{"x":1}' }]);
    const text = renderInspectionText({ inspection: t }).join('\n');
    expect(text).toContain('agent dispatch    "my-agent"');
    expect(text).toContain('only if this join creates the room');
  });

  it('accepts snake_case agent_name in a hand-made roomConfig', () => {
    const t = inspectToken(sign({ ...base, roomConfig: { agents: [{ agent_name: 'py-agent' }] } }), { apiKey: KEY, apiSecret: SECRET, localNowMs: now });
    expect(t.claims.agentDispatches).toEqual([{ agentName: 'py-agent' }]);
  });

  it('expired: an error, invalid', () => {
    const t = inspectToken(sign({ ...base, nbf: s(now - 7_200_000), exp: s(now - 600_000) }), { apiKey: KEY, apiSecret: SECRET, localNowMs: now });
    expect(t.valid).toBe(false);
    expect(codes(t)).toContain('expired');
    expect(t.problems.find((p) => p.code === 'expired')!.message).toMatch(/expired 10 min ago by the local clock/);
  });

  it('not yet valid beyond the 60 s leeway: an error; within it: a warning', () => {
    const early = inspectToken(sign({ ...base, nbf: s(now + 300_000) }), { apiKey: KEY, apiSecret: SECRET, localNowMs: now });
    expect(early.valid).toBe(false);
    expect(codes(early)).toContain('not-yet-valid');
    const slight = inspectToken(sign({ ...base, nbf: s(now + 20_000) }), { apiKey: KEY, apiSecret: SECRET, localNowMs: now });
    expect(slight.valid).toBe(true);
    expect(codes(slight)).toContain('nbf-in-future');
  });

  it("judges time by the server's clock when known, and blames the local clock otherwise", () => {
    // Expired by the local clock, fine by the server's: this machine's clock runs ahead.
    const jwt = sign({ ...base, nbf: s(now - 3_600_000), exp: s(now - 60_000) });
    const t = inspectToken(jwt, { apiKey: KEY, apiSecret: SECRET, localNowMs: now, serverNowMs: now - 600_000 });
    expect(t.valid).toBe(true);
    const p = t.problems.find((q) => q.code === 'expired')!;
    expect(p.severity).toBe('warning');
    expect(p.message).toContain("not by the server's clock");
  });

  it('wrong secret: bad signature, invalid (judged by the SDK TokenVerifier)', async () => {
    const t = await inspectTokenVerified(sign(base, 'SECRETLEAKCANARYsomeoneelse0000000000'), { apiKey: KEY, apiSecret: SECRET, localNowMs: now });
    expect(t.signature.verdict).toBe('bad-signature');
    expect(t.valid).toBe(false);
    expect(t.signature.detail).toContain('different secret');
  });

  it('foreign key (iss ≠ configured key): "issued by another API key / project", not verified', () => {
    const t = inspectToken(sign({ ...base, iss: 'APIotherproject' }, 'whatever-secret-of-the-other-project'), { apiKey: KEY, apiSecret: SECRET, localNowMs: now });
    expect(t.signature.verdict).toBe('other-key');
    expect(t.signature.detail).toContain('issued by another API key / project');
    expect(t.signature.detail).toContain('APIo…');
    expect(codes(t)).toContain('other-key');
  });

  it('no secret configured: "signature not verified"', () => {
    const t = inspectToken(sign(base), { localNowMs: now });
    expect(t.signature.verdict).toBe('not-verified');
    expect(t.signature.detail).toMatch(/^signature not verified/);
    expect(t.valid).toBe(true);
  });

  it('no roomJoin, and roomJoin without a room, are warnings', () => {
    const noJoin = inspectToken(sign({ ...base, video: { roomList: true } }), { apiKey: KEY, apiSecret: SECRET, localNowMs: now });
    expect(codes(noJoin)).toContain('no-room-join');
    const noRoom = inspectToken(sign({ ...base, video: { roomJoin: true } }), { apiKey: KEY, apiSecret: SECRET, localNowMs: now });
    expect(codes(noRoom)).toContain('no-room');
    expect(noRoom.valid).toBe(true);
  });

  it('a live room with a token dispatch gives the "will be ignored" warning; without a dispatch nothing', async () => {
    const withAgent = inspectToken(await sdkToken('my-agent'), { apiKey: KEY, apiSecret: SECRET });
    const p = liveRoomProblem(withAgent, { name: 'my-room', createdAtMs: Date.now() - 120_000, numParticipants: 1 })!;
    expect(p.code).toBe('room-already-live');
    expect(p.message).toContain('"my-agent" will be ignored');
    const without = inspectToken(await sdkToken(), { apiKey: KEY, apiSecret: SECRET });
    expect(liveRoomProblem(without, { name: 'my-room', createdAtMs: Date.now(), numParticipants: 1 })).toBeUndefined();
  });

  it('never prints the token: text and JSON carry claims only', async () => {
    const jwt = await sdkToken('my-agent');
    const t = inspectToken(jwt, { apiKey: KEY, apiSecret: SECRET });
    const out = renderInspectionText({ inspection: t }).join('\n') + JSON.stringify(inspectionJson({ inspection: t }));
    const [, payload, signature] = jwt.split('.');
    expect(out).not.toContain(payload!);
    expect(out).not.toContain(signature!);
    expect(out).not.toContain(SECRET);
    expect(out).not.toContain(KEY);
    expect(out).toContain('bob');
  });
});

describe('cleanTokenInput', () => {
  const jwt = sign(base);
  it.each([
    ['bare', jwt],
    ['Bearer prefix', `Bearer ${jwt}`],
    ['double quotes', `"${jwt}"`],
    ['single quotes and newline', `'${jwt}'\n`],
    ['quoted Bearer', `"Bearer ${jwt}"`],
    ['Authorization header', `Authorization: Bearer ${jwt}`],
    ['a JSON answer', `{"participant_token":"${jwt}","server_url":"wss://x"}`],
  ])('%s', (_label, input) => {
    expect(cleanTokenInput(input)).toBe(jwt);
  });

  it('rejects text that is no JWT, and a cut token', () => {
    expect(() => cleanTokenInput('hello')).toThrow(TokenFormatError);
    expect(() => cleanTokenInput('')).toThrow(/empty/);
    expect(() => inspectToken('eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.xx')).toThrow(/not base64url-encoded JSON/);
  });
});
