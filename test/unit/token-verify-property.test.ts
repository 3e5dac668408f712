/**
 * Token verification by the SDK's own TokenVerifier (livekit-server-sdk on jose), worded by the doctor:
 * properties over malformed tokens, `alg: none`, the wrong key or secret, and expired tokens.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createHmac } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { inspectTokenVerified, verifySignature, TokenFormatError } from '../../src/livekit/token-inspect.js';

const KEY = 'APIpropkey0001';
const SECRET = 'SECRETLEAKCANARYprop0123456789abcdefgh';
const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
function sign(payload: Record<string, unknown>, secret = SECRET, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const input = `${enc(header)}.${enc(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
const nowS = () => Math.floor(Date.now() / 1000);
const claims = fc.record({ sub: fc.string({ maxLength: 20 }), room: fc.string({ maxLength: 20 }), ttl: fc.integer({ min: 60, max: 86_400 }) });
const RUNS = { numRuns: 60 };

describe('TokenVerifier verdicts', () => {
  it('a token the SDK minted with the configured pair is valid', async () => {
    await fc.assert(
      fc.asyncProperty(claims, async ({ sub, room, ttl }) => {
        const at = new AccessToken(KEY, SECRET, { identity: sub || 'x', ttl });
        at.addGrant({ roomJoin: true, room: room || 'r' });
        const t = await inspectTokenVerified(await at.toJwt(), { apiKey: KEY, apiSecret: SECRET });
        expect(t.signature.verdict).toBe('valid');
        expect(t.valid).toBe(true);
      }),
      { numRuns: 25 },
    );
  });

  it('any other secret: bad signature, invalid, and the secrets never appear in the words', async () => {
    await fc.assert(
      fc.asyncProperty(claims, fc.string({ minLength: 1, maxLength: 64 }).filter((s) => s !== SECRET), async ({ sub, ttl }, other) => {
        const jwt = sign({ iss: KEY, sub, exp: nowS() + ttl, video: { roomJoin: true, room: 'r' } }, other);
        const t = await inspectTokenVerified(jwt, { apiKey: KEY, apiSecret: SECRET });
        expect(t.signature.verdict).toBe('bad-signature');
        expect(t.valid).toBe(false);
        const words = JSON.stringify(t);
        expect(words).not.toContain(SECRET);
        if (other.length > 8) expect(words).not.toContain(other);
      }),
      RUNS,
    );
  });

  it('another key (iss): "issued by another API key / project", never "valid"', async () => {
    await fc.assert(
      fc.asyncProperty(fc.stringMatching(/^API[A-Za-z0-9]{4,16}$/).filter((k) => k !== KEY), async (iss) => {
        const t = await inspectTokenVerified(sign({ iss, sub: 'a', exp: nowS() + 600 }, 'their-secret'), { apiKey: KEY, apiSecret: SECRET });
        expect(t.signature.verdict).toBe('other-key');
      }),
      RUNS,
    );
  });

  it('alg none (or any alg but HS256), signed or not: unsupported algorithm, invalid', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('none', 'None', 'HS384', 'RS256', 'ES256', ''), fc.boolean(), async (alg, withSig) => {
        const input = `${enc({ alg, typ: 'JWT' })}.${enc({ iss: KEY, sub: 'a', exp: nowS() + 600, video: { roomJoin: true, room: 'r' } })}`;
        const jwt = `${input}.${withSig ? createHmac('sha256', SECRET).update(input).digest('base64url') : ''}`;
        const t = await inspectTokenVerified(jwt, { apiKey: KEY, apiSecret: SECRET });
        expect(t.signature.verdict).toBe('unsupported-algorithm');
        expect(t.valid).toBe(false);
      }),
      RUNS,
    );
  });

  it('expired (beyond any leeway): the signature holds, the token is invalid as "expired"', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 61, max: 10 ** 8 }), async (ago) => {
        const t = await inspectTokenVerified(sign({ iss: KEY, sub: 'a', exp: nowS() - ago, video: { roomJoin: true, room: 'r' } }), { apiKey: KEY, apiSecret: SECRET });
        expect(t.signature.verdict).toBe('valid');
        expect(t.valid).toBe(false);
        expect(t.problems.map((p) => p.code)).toContain('expired');
      }),
      RUNS,
    );
  });

  it('malformed (cut, altered, not base64url, not JSON): TokenFormatError from inspection; verifySignature never throws', async () => {
    const good = sign({ iss: KEY, sub: 'a', exp: nowS() + 600 });
    const mangled = fc.oneof(
      fc.integer({ min: 0, max: good.length - 1 }).map((n) => good.slice(0, n)),
      fc.tuple(fc.integer({ min: 0, max: good.length - 1 }), fc.constantFrom('!', ' ', '.', '=', '%', 'é')).map(([i, c]) => good.slice(0, i) + c + good.slice(i + 1)),
      fc.string(),
      fc.tuple(fc.string(), fc.string(), fc.string()).map((p) => p.join('.')),
    );
    await fc.assert(
      fc.asyncProperty(mangled, async (jwt) => {
        const v = await verifySignature(jwt, { apiKey: KEY, apiSecret: SECRET });
        expect(typeof v.detail).toBe('string');
        if (jwt === good) return;
        try {
          const t = await inspectTokenVerified(jwt, { apiKey: KEY, apiSecret: SECRET });
          // Decodable after the change (e.g. a flipped signature character): never judged valid.
          expect(t.signature.verdict === 'valid' && t.valid && jwt !== good).toBe(false);
        } catch (err) {
          expect(err).toBeInstanceOf(TokenFormatError);
          expect((err as Error).message).not.toMatch(/\n/);
        }
      }),
      { numRuns: 200 },
    );
  });
});
