import { describe, it, expect } from 'vitest';
import { classifyFailure, classifyUnauthorized, fixFor, type FailureCause } from '../../src/livekit/classify.js';
import { registerSecret } from '../../src/core/redact.js';
import { DeadlineError } from '../../src/core/cleanup.js';

/** Shapes as they arrive: livekit-server-sdk's TwirpError (status, code, message) and undici's fetch errors (cause.code). */
function twirp(status: number, message: string, code?: string) {
  return Object.assign(new Error(message), { name: 'TwirpError', status, code });
}
function fetchFailed(code: string, message = `${code} something`) {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJBUEl4IiwibmJmIjoxfQ.sZ3Jhbm9sYXNpZ25hdHVyZQ';

const table: { name: string; err: unknown; cause: FailureCause; status?: number; configuration: boolean; text?: RegExp }[] = [
  { name: 'unknown API key', err: twirp(401, 'invalid API key: APIxyz', 'unauthenticated'), cause: 'unknown-api-key', status: 401, configuration: true, text: /401 unknown API key/ },
  { name: 'bad signature', err: twirp(401, `invalid token: ${JWT}, error: go-jose/go-jose: error in cryptographic primitive`), cause: 'bad-signature', status: 401, configuration: true, text: /wrong API secret/ },
  { name: 'signature is invalid (jwt v5 text)', err: twirp(401, `invalid token: ${JWT}, error: token signature is invalid: signature is invalid`), cause: 'bad-signature', configuration: true },
  { name: 'nbf in the future', err: twirp(401, `invalid token: ${JWT}, error: token has invalid claims: token is not valid yet`), cause: 'clock-skew', configuration: false, text: /not valid yet/ },
  { name: 'expired token', err: twirp(401, `invalid token: ${JWT}, error: token has invalid claims: token is expired`), cause: 'clock-skew', configuration: false, text: /expired/ },
  { name: 'permission denied (403)', err: twirp(403, 'permissions denied'), cause: 'permission-denied', status: 403, configuration: true },
  { name: 'bare 401', err: twirp(401, 'Unauthorized'), cause: 'unauthenticated', configuration: true },
  { name: 'connection refused', err: fetchFailed('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'), cause: 'connection-refused', configuration: false, text: /ECONNREFUSED/ },
  { name: 'connection reset', err: fetchFailed('ECONNRESET'), cause: 'connection-reset', configuration: false },
  { name: 'undici socket closed', err: fetchFailed('UND_ERR_SOCKET', 'other side closed'), cause: 'connection-reset', configuration: false },
  { name: 'DNS: no such host', err: fetchFailed('ENOTFOUND', 'getaddrinfo ENOTFOUND doctor-test.invalid'), cause: 'dns-failure', configuration: false, text: /doctor-test\.invalid/ },
  { name: 'DNS: temporary failure', err: fetchFailed('EAI_AGAIN'), cause: 'dns-failure', configuration: false },
  { name: 'TLS to a plain port', err: fetchFailed('ERR_SSL_WRONG_VERSION_NUMBER', 'ssl3_get_record:wrong version number'), cause: 'tls-failure', configuration: false },
  { name: 'TLS: self-signed certificate', err: fetchFailed('DEPTH_ZERO_SELF_SIGNED_CERT'), cause: 'tls-failure', configuration: false },
  { name: 'TLS: expired certificate', err: fetchFailed('CERT_HAS_EXPIRED'), cause: 'tls-failure', configuration: false },
  { name: 'TLS: EPROTO', err: fetchFailed('EPROTO'), cause: 'tls-failure', configuration: false },
  { name: 'our deadline', err: new DeadlineError('ListRooms', 1000), cause: 'timeout', configuration: false, text: /^ListRooms: no answer within 1000 ms$/ },
  { name: 'AbortSignal.timeout', err: new DOMException('The operation was aborted due to timeout', 'TimeoutError'), cause: 'timeout', configuration: false },
  { name: 'aborted', err: new DOMException('This operation was aborted', 'AbortError'), cause: 'timeout', configuration: false },
  { name: 'undici connect timeout', err: fetchFailed('UND_ERR_CONNECT_TIMEOUT'), cause: 'timeout', configuration: false },
  { name: 'server error 500', err: twirp(500, 'internal failure'), cause: 'server-error', status: 500, configuration: false, text: /500 internal failure/ },
  { name: 'bad gateway 502', err: twirp(502, '<html>Bad Gateway</html>'), cause: 'server-error', status: 502, configuration: false },
  { name: '503 without a room', err: twirp(503, 'no response from servers', 'unavailable'), cause: 'room-not-live', status: 503, configuration: false },
  { name: 'other 503', err: twirp(503, 'service unavailable'), cause: 'server-error', configuration: false },
  { name: 'room not found', err: twirp(404, 'requested room does not exist', 'not_found'), cause: 'room-not-found', status: 404, configuration: false },
  { name: '404 from something that is not LiveKit', err: twirp(404, '404 page not found'), cause: 'not-found', configuration: false },
  { name: '400', err: twirp(400, 'name is too long', 'invalid_argument'), cause: 'bad-request', configuration: false },
  { name: 'undici bad port', err: new TypeError('fetch failed', { cause: new Error('bad port') }), cause: 'bad-url', configuration: false },
  { name: 'invalid URL', err: Object.assign(new TypeError('Invalid URL'), { code: 'ERR_INVALID_URL' }), cause: 'bad-url', configuration: false },
  { name: 'anything else', err: new Error('something odd'), cause: 'unknown', configuration: false },
  { name: 'a thrown string', err: 'just a string', cause: 'unknown', configuration: false, text: /just a string/ },
];

describe('classifyFailure: every failure shape → a cause the user can act on', () => {
  for (const c of table) {
    it(`${c.name} → ${c.cause}`, () => {
      const f = classifyFailure(c.err, 'ListRooms');
      expect(f.cause).toBe(c.cause);
      expect(f.isConfiguration).toBe(c.configuration);
      expect(f.fix).toBe(fixFor(c.cause));
      expect(f.fix.length).toBeGreaterThan(20);
      if (c.status !== undefined) expect(f.status).toBe(c.status);
      expect(f.message.startsWith('ListRooms: ')).toBe(true);
      expect(f.message).not.toContain('\n');
      if (c.text) expect(f.message).toMatch(c.text);
    });
  }

  it('never carries the token a 401 body echoes, nor a registered secret', () => {
    const secret = `SECRETLEAKCANARY-unit-${Date.now()}`;
    registerSecret(secret);
    for (const msg of [`invalid token: ${JWT}, error: bad`, `Unauthorized: ${secret}`]) {
      const f = classifyFailure(twirp(401, msg), 'ListRooms');
      expect(f.message).not.toContain(JWT);
      expect(f.message).not.toContain(secret);
    }
    const f500 = classifyFailure(twirp(500, `oops Authorization: Bearer ${JWT} and ${secret}`), 'ListRooms');
    expect(f500.message).not.toContain(JWT.slice(0, 40));
    expect(f500.message).not.toContain(secret);
  });

  it('keeps a long 5xx body to one short line', () => {
    const f = classifyFailure(twirp(500, `line one\n${'x'.repeat(1000)}`), 'ListRooms');
    expect(f.message).not.toContain('\n');
    expect(f.message.length).toBeLessThan(260);
  });
});

describe('classifyUnauthorized: the 401 texts of livekit-server', () => {
  it.each([
    ['invalid API key: APIabc', 'unknown-api-key'],
    ['invalid token: x, error: token is not valid yet', 'clock-skew'],
    ['invalid token: x, error: token has invalid claims: token is expired', 'clock-skew'],
    ['invalid token: x, error: token signature is invalid', 'bad-signature'],
    ['invalid authorization token', 'unauthenticated'], // the JWT did not parse: not a signature verdict
    ['permissions denied', 'permission-denied'],
    ['Unauthorized', 'unauthenticated'],
  ] as const)('%s → %s', (body, cause) => {
    expect(classifyUnauthorized(body)).toBe(cause);
  });
});
