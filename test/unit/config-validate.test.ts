import { describe, it, expect } from 'vitest';
import { validateConnectionSettings } from '../../src/config/validate.js';
import { maskKey, redact, redactDeep, registerSecret } from '../../src/core/redact.js';
import { settingsView } from '../../src/config/view.js';
import type { ConfigProblem, Sourced, SourceKind } from '../../src/config/types.js';

const KEY = 'APIa1b2c3d4e5f6';
const SECRET = 'Zx9aPq8Lm7Nb6Vc5Xk4Jh3Gf2Ds1Aq0Wl9Ei8Ru7Ty6'; // 44 chars, shaped like a real one

function from(value: string, detail = 'flag --x', kind: SourceKind = 'flag'): Sourced<string> {
  return { value, from: { kind, detail } };
}

function validate(over: { url?: Sourced<string> | null; apiKey?: Sourced<string> | null; apiSecret?: Sourced<string> | null; timeout?: string } = {}): ConfigProblem[] {
  const pick = (v: Sourced<string> | null | undefined, dflt: Sourced<string>) => (v === null ? undefined : (v ?? dflt));
  return validateConnectionSettings({
    url: pick(over.url, from('ws://127.0.0.1:7880', 'flag --url')),
    apiKey: pick(over.apiKey, from(KEY, 'flag --api-key')),
    apiSecret: pick(over.apiSecret, from(SECRET, 'flag --api-secret')),
    timeoutSeconds: { value: over.timeout ?? '10', from: 'flag --timeout' },
  });
}

const errors = (ps: ConfigProblem[]) => ps.filter((p) => p.severity === 'error');
const warnings = (ps: ConfigProblem[]) => ps.filter((p) => p.severity === 'warning');

describe('validateConnectionSettings: every problem is one line naming the source and the fix', () => {
  it('accepts a clean local setup and a clean Cloud setup', () => {
    expect(validate()).toEqual([]);
    expect(validate({ url: from('wss://my-project.livekit.cloud', 'flag --url') })).toEqual([]);
    expect(validate({ url: from('https://my-project.livekit.cloud/', 'flag --url') })).toEqual([]);
  });

  it('missing URL, key or secret: an error each, saying how to set it', () => {
    const ps = validate({ url: null, apiKey: null, apiSecret: null });
    expect(errors(ps).map((p) => p.field)).toEqual(['url', 'apiKey', 'apiSecret']);
    expect(ps[0]!.message).toMatch(/no LiveKit URL is set; pass --url/);
    expect(ps[1]!.message).toMatch(/no API key is set; pass --api-key, set LIVEKIT_API_KEY/);
  });

  it('missing secret names where the key came from', () => {
    const ps = validate({ apiKey: from(KEY, 'LIVEKIT_API_KEY in /app/.env line 2', 'env-file'), apiSecret: null });
    expect(errors(ps)).toHaveLength(1);
    expect(ps[0]!.message).toContain('no API secret is set');
    expect(ps[0]!.message).toContain('(the API key came from LIVEKIT_API_KEY in /app/.env line 2)');
  });

  it('a URL without a scheme suggests the wss:// form', () => {
    const ps = errors(validate({ url: from('my-project.livekit.cloud', 'env LIVEKIT_URL', 'env') }));
    expect(ps).toHaveLength(1);
    expect(ps[0]!.message).toBe('the URL "my-project.livekit.cloud" from env LIVEKIT_URL has no scheme; write wss://my-project.livekit.cloud');
  });

  it('http:// or ws:// to a *.livekit.cloud host is an error (Cloud serves only TLS)', () => {
    for (const raw of ['http://my-project.livekit.cloud', 'ws://my-project.livekit.cloud']) {
      const ps = errors(validate({ url: from(raw, 'flag --url') }));
      expect(ps).toHaveLength(1);
      expect(ps[0]!.message).toMatch(/for a LiveKit Cloud host, which serves only TLS; use wss:\/\/my-project\.livekit\.cloud/);
    }
    // A plain ws:// to a self-hosted server is normal.
    expect(validate({ url: from('ws://livekit.internal:7880') })).toEqual([]);
  });

  it('a query or fragment on the URL is an error that shows the clean form', () => {
    const ps = errors(validate({ url: from('wss://x.livekit.cloud?access_token=abc', 'flag --url') }));
    expect(ps.some((p) => /has a query or fragment .*use only scheme and host, e\.g\. wss:\/\/x\.livekit\.cloud/.test(p.message))).toBe(true);
  });

  it('other URL problems: wrong scheme, surrounding spaces, embedded credentials', () => {
    expect(errors(validate({ url: from('ftp://host') }))[0]!.message).toMatch(/scheme ftp:\/\/; use wss:\/\//);
    expect(errors(validate({ url: from(' ws://host:7880') })).some((p) => /has spaces around it/.test(p.message))).toBe(true);
    expect(errors(validate({ url: from('wss://user:pw@host') })).some((p) => /contains credentials/.test(p.message))).toBe(true);
  });

  it('a secret with whitespace around it (e.g. a trailing CR from .env) is an error, without printing the secret', () => {
    for (const bad of [`${SECRET} `, `${SECRET}\r`, ` ${SECRET}`]) {
      const ps = errors(validate({ apiSecret: from(bad, 'LIVEKIT_API_SECRET in .env line 3', 'env-file') }));
      expect(ps).toHaveLength(1);
      expect(ps[0]!.message).toMatch(/API secret from LIVEKIT_API_SECRET in \.env line 3 has whitespace around it/);
      expect(ps[0]!.message).not.toContain(SECRET);
    }
  });

  it('a secret wrapped in quotes that became part of the value is an error', () => {
    const ps = errors(validate({ apiSecret: from(`"${SECRET}"`) }));
    expect(ps.map((p) => p.message)).toEqual([expect.stringMatching(/wrapped in quotes that became part of the value/)]);
    expect(ps[0]!.message).not.toContain(SECRET);
  });

  it('a key that looks like a secret is a warning; key and secret swapped is an error', () => {
    const looksLikeSecret = validate({ apiKey: from('k'.repeat(40)) });
    expect(errors(looksLikeSecret)).toEqual([]);
    expect(warnings(looksLikeSecret)[0]!.message).toMatch(/API key from flag --x looks like a secret \(40 chars\)/);

    const swapped = validate({ apiKey: from(SECRET, 'flag --api-key'), apiSecret: from(KEY, 'flag --api-secret') });
    expect(errors(swapped)).toHaveLength(1);
    expect(errors(swapped)[0]!.message).toMatch(/look swapped .*exchange them/);
    expect(errors(swapped)[0]!.message).not.toContain(SECRET);
  });

  it('a secret that looks like an API key is a warning', () => {
    const ps = validate({ apiSecret: from('APIzzzzzzzzzzzz', 'env LIVEKIT_API_SECRET', 'env') });
    expect(errors(ps)).toEqual([]);
    expect(warnings(ps)[0]!.message).toMatch(/API secret from env LIVEKIT_API_SECRET looks like an API key/);
  });

  it('key and secret with the same value is an error naming both sources', () => {
    const ps = errors(validate({ apiKey: from(KEY, 'env LIVEKIT_API_KEY', 'env'), apiSecret: from(KEY, 'env LIVEKIT_API_SECRET', 'env') }));
    expect(ps).toHaveLength(1);
    expect(ps[0]!.message).toMatch(/are the same value \(key from env LIVEKIT_API_KEY, secret from env LIVEKIT_API_SECRET\)/);
  });

  it('a timeout that is not a number of seconds in (0, 600] is an error', () => {
    for (const t of ['abc', '0', '-1', '601']) expect(errors(validate({ timeout: t }))[0]!.field).toBe('timeout');
    expect(validate({ timeout: '0.5' })).toEqual([]);
  });

  it('URL, key and secret from different files is a warning to check they belong together', () => {
    const ps = validate({
      url: from('ws://a:7880', 'LIVEKIT_URL in /app/.env.local line 1', 'env-file'),
      apiKey: from(KEY, 'LIVEKIT_API_KEY in /app/.env line 1', 'env-file'),
      apiSecret: from(SECRET, 'LIVEKIT_API_SECRET in /app/.env line 2', 'env-file'),
    });
    expect(errors(ps)).toEqual([]);
    expect(warnings(ps)[0]!.message).toMatch(/come from different places .*same project/);
    // All three from one file: nothing to warn about.
    const same = validate({
      url: from('ws://a:7880', 'LIVEKIT_URL in /app/.env line 1', 'env-file'),
      apiKey: from(KEY, 'LIVEKIT_API_KEY in /app/.env line 2', 'env-file'),
      apiSecret: from(SECRET, 'LIVEKIT_API_SECRET in /app/.env line 3', 'env-file'),
    });
    expect(same).toEqual([]);
  });
});

describe('masking and redaction', () => {
  it('maskKey shows the first 4 characters only', () => {
    expect(maskKey('APIa1b2c3d4e5f6')).toBe('APIa…');
    expect(maskKey('abcd')).toBe('a…');
    expect(maskKey(undefined)).toBe('(not set)');
    expect(maskKey('')).toBe('(not set)');
  });

  it('settingsView masks the key and never includes the secret', () => {
    const view = settingsView({
      url: from('ws://h:1', 'flag --url'),
      apiKey: from(KEY, 'env LIVEKIT_API_KEY', 'env'),
      apiSecret: from(SECRET, 'LIVEKIT_API_SECRET in /x/.env line 4', 'env-file'),
      timeoutMs: 2500,
      filesRead: [],
      problems: [],
    });
    const text = JSON.stringify(view);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(KEY);
    expect(view.apiKey).toEqual({ shown: 'APIa…', from: 'env LIVEKIT_API_KEY' });
    expect(view.apiSecret!.shown).toBe(`(set, ${SECRET.length} chars, not shown)`);
    expect(view.apiSecret!.from).toBe('LIVEKIT_API_SECRET in /x/.env line 4');
    expect(view.timeout!.shown).toBe('2.5 s');
  });

  it('redact removes a registered secret, JWTs, bearer values and token parameters', () => {
    const secret = `unit-secret-${Math.random().toString(36).slice(2)}`;
    registerSecret(secret);
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl';
    const out = redact(`secret=${secret} invalid token: ${jwt}, error: x; Authorization: Bearer abc.def ws://h/rtc?access_token=zzz&x=1`);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(jwt);
    expect(out).not.toContain('abc.def');
    expect(out).not.toContain('zzz');
    expect(redactDeep({ apiSecret: 'x'.repeat(10), nested: [{ token: 'abc' }, `has ${secret}`] })).toEqual({ apiSecret: '[redacted]', nested: [{ token: '[redacted]' }, 'has [redacted]'] });
  });
});
