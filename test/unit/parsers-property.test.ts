/**
 * Parsers that never throw: whatever the input, each yields a value or one clear error (a UsageError or
 * TokenFormatError with a one-line message) — never another exception. fast-check generates the input.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnvText, readEnvFile } from '../../src/config/env-file.js';
import { readLkConfig } from '../../src/config/lk-config.js';
import { validateConnectionSettings } from '../../src/config/validate.js';
import { toHttpUrl, toWsUrl, agentSocketUrl } from '../../src/core/urls.js';
import { parseServerLog, NotAServerLogError } from '../../src/evidence/server-log/parse.js';
import { readWorkerJson, agentBaseUrl } from '../../src/evidence/agent-http/fetch.js';
import { normaliseWorkerInfo, workerInfoTypeProblems } from '../../src/evidence/agent-http/worker-info.js';
import { cleanTokenInput, inspectToken, TokenFormatError } from '../../src/livekit/token-inspect.js';
import { classifyFailure } from '../../src/livekit/classify.js';
import { UsageError } from '../../src/core/errors.js';

const RUNS = { numRuns: 300 };
const dir = mkdtempSync(join(tmpdir(), 'lkd-prop-'));

/** A clear error: ours, and one line. */
function expectClearError(err: unknown, ...kinds: (new (...a: never[]) => Error)[]): void {
  expect(kinds.some((k) => err instanceof k), String(err)).toBe(true);
  expect((err as Error).message).not.toMatch(/\n/);
  expect((err as Error).message.length).toBeGreaterThan(10);
}

/** Lines that look like env files: keys, quotes, comments, exports, junk. */
const envLine = fc.oneof(
  fc.string(),
  fc.tuple(fc.constantFrom('', 'export '), fc.constantFrom('LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET', 'A', '1X', 'a.b-c'), fc.constantFrom('=', ' = ', '=='), fc.string(), fc.constantFrom('', '"', "'", '`', ' # c'))
    .map(([e, k, eq, v, q]) => `${e}${k}${eq}${q}${v}${q}`),
);
const envText = fc.array(envLine, { maxLength: 30 }).map((l) => l.join(fc.sample(fc.constantFrom('\n', '\r\n'), 1)[0]));

describe('env-file reader', () => {
  it('parseEnvText never throws; every entry has a key, a string value and a line inside the text', () => {
    fc.assert(
      fc.property(envText, (text) => {
        const f = parseEnvText(text);
        const lines = text.split(/\r?\n/).length;
        for (const [k, e] of f.entries) {
          expect(e.key).toBe(k);
          expect(typeof e.value).toBe('string');
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.line).toBeLessThanOrEqual(lines);
        }
        for (const [k, ls] of f.duplicates) {
          expect(f.entries.get(k)!.line).toBe(ls[ls.length - 1]);
          expect(ls.length).toBeGreaterThanOrEqual(2);
        }
      }),
      RUNS,
    );
  });

  it('a key set twice is reported with both lines, the last one wins', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{0,20}$/), fc.stringMatching(/^[A-Za-z0-9]{0,20}$/), (a, b) => {
        const f = parseEnvText(`LIVEKIT_URL=${a}\nX=1\nLIVEKIT_URL=${b}\n`);
        expect(f.entries.get('LIVEKIT_URL')!.value).toBe(b);
        expect(f.duplicates.get('LIVEKIT_URL')).toEqual([1, 3]);
      }),
      RUNS,
    );
  });

  it('readEnvFile on any bytes: a value or one UsageError line', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        const path = join(dir, 'env');
        writeFileSync(path, bytes);
        try {
          readEnvFile(path);
        } catch (err) {
          expectClearError(err, UsageError);
        }
      }),
      { numRuns: 150 },
    );
    expect(() => readEnvFile(dir)).toThrow(/is a directory/);
    expect(() => readEnvFile(join(dir, 'missing'))).toThrow(/does not exist/);
  });
});

describe('lk config reader', () => {
  const yamlish = fc.oneof(
    fc.string(),
    fc.array(fc.oneof(fc.constantFrom('projects:', '  - name: dev', '    url: ws://x', '    api_key: [1, 2]', 'default_project: {a: 1}', '- x', '&a [*a]', ': :', '"unclosed', '\t'), fc.string()), { maxLength: 12 }).map((l) => l.join('\n')),
    fc.jsonValue().map((v) => JSON.stringify(v)),
  );
  it('readLkConfig: a config (projects with string-or-absent fields) or one UsageError line', async () => {
    await fc.assert(
      fc.asyncProperty(yamlish, async (text) => {
        const path = join(dir, 'cli-config.yaml');
        writeFileSync(path, text);
        try {
          const c = await readLkConfig(path);
          for (const p of c!.projects) {
            expect(typeof p.name).toBe('string');
            for (const v of [p.url, p.apiKey, p.apiSecret]) expect(v === undefined || typeof v === 'string').toBe(true);
          }
        } catch (err) {
          expectClearError(err, UsageError);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('URL normaliser', () => {
  const urlish = fc.oneof(
    fc.string(),
    fc.webUrl(),
    fc.tuple(fc.constantFrom('ws://', 'wss://', 'http://', 'https://', 'ftp://', '', '//'), fc.domain(), fc.constantFrom('', ':7880', ':0', ':99999', '/lk', '/lk//', '?a=1', '#x'), fc.string({ maxLength: 4 })).map((p) => p.join('')),
    fc.tuple(fc.constantFrom('wss://'), fc.stringMatching(/^[a-z]{64,300}$/), fc.constantFrom('.livekit.cloud', '')).map((p) => p.join('')),
  );
  it('validation never throws; a URL it accepts always normalises to ws(s):// and http(s):// forms', () => {
    fc.assert(
      fc.property(urlish, (url) => {
        const problems = validateConnectionSettings({
          url: { value: url, from: { kind: 'flag', detail: 'flag --url' } },
          apiKey: { value: 'APIabcdef123456', from: { kind: 'flag', detail: 'flag --api-key' } },
          apiSecret: { value: 'a-secret-of-some-length-0123456789', from: { kind: 'flag', detail: 'flag --api-secret' } },
          timeoutSeconds: { value: '10', from: 'default' },
        });
        for (const p of problems) expect(p.message).not.toMatch(/\n/);
        if (problems.some((p) => p.severity === 'error' && p.field === 'url')) return;
        expect(toWsUrl(url)).toMatch(/^wss?:\/\/[^/?#]+/);
        expect(toHttpUrl(url)).toMatch(/^https?:\/\/[^/?#]+/);
        expect(agentSocketUrl(url)).toMatch(/\/agent$/);
      }),
      { numRuns: 500 },
    );
  });
  it('a host name part over 63 characters is one clear problem, before any network call', () => {
    const problems = validateConnectionSettings({
      url: { value: `wss://${'a'.repeat(300)}.example.com`, from: { kind: 'flag', detail: 'flag --url' } },
      apiKey: { value: 'APIabcdef123456', from: { kind: 'flag', detail: 'flag --api-key' } },
      apiSecret: { value: 'a-secret-of-some-length-0123456789', from: { kind: 'flag', detail: 'flag --api-secret' } },
      timeoutSeconds: { value: '10', from: 'default' },
    });
    expect(problems.map((p) => p.message).join('\n')).toMatch(/host name part of 300 characters/);
  });
  it('agentBaseUrl: a URL or a thrown error with a message (the caller turns it into bad-url)', () => {
    fc.assert(
      fc.property(urlish, (u) => {
        try {
          expect(agentBaseUrl(u).pathname.endsWith('/')).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
        }
      }),
      RUNS,
    );
  });
});

describe('server-log line classifier', () => {
  const consoleLine = fc
    .tuple(fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }), fc.constantFrom('DEBUG', 'INFO', 'WARN', 'ERROR', 'BOGUS'), fc.string(), fc.string(), fc.string(), fc.oneof(fc.constant(''), fc.jsonValue().map((v) => `\t${JSON.stringify(v)}`), fc.string().map((s) => `\t{${s}}`)))
    .map(([d, lvl, logger, caller, msg, fields]) => `${d.toISOString()}\t${lvl}\t${logger}\t${caller}\t${msg}${fields}`);
  const jsonLine = fc.record({ ts: fc.oneof(fc.double(), fc.string(), fc.constant(1.7e9)), level: fc.oneof(fc.string(), fc.constant('info'), fc.integer()), msg: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }).map((o) => JSON.stringify(o));
  const logText = fc.array(fc.oneof(consoleLine, jsonLine, fc.string(), fc.string({ unit: 'binary' })), { maxLength: 25 }).map((l) => l.join('\n'));
  it('parseServerLog: entries with valid times and known levels, or one UsageError line', () => {
    fc.assert(
      fc.property(logText, (text) => {
        try {
          const log = parseServerLog(text);
          expect(log.entries.length).toBeGreaterThan(0);
          for (const e of log.entries) {
            expect(Number.isNaN(e.time.getTime())).toBe(false);
            expect(typeof e.message).toBe('string');
          }
        } catch (err) {
          expectClearError(err, UsageError);
        }
      }),
      { numRuns: 400 },
    );
  });
  it('binary input is "not a log" (NotAServerLogError), never read as an empty log', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 2000 }).filter((b) => b.includes(0)), (bytes) => {
        expect(() => parseServerLog(Buffer.from(bytes).toString('utf8'))).toThrow(NotAServerLogError);
      }),
      { numRuns: 100 },
    );
  });
});

describe('agent endpoint JSON reader', () => {
  const workerish = fc.oneof(
    fc.string(),
    fc.jsonValue().map((v) => JSON.stringify(v)),
    fc.record({ agent_name: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string())), active_jobs: fc.oneof(fc.integer(), fc.string(), fc.double()), worker_load: fc.oneof(fc.double(), fc.string()), worker_type: fc.oneof(fc.string(), fc.integer(), fc.boolean()) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
  );
  it('readWorkerJson: a worker whose fields have the types they claim, or one error line; never throws', () => {
    fc.assert(
      fc.property(workerish, (body) => {
        const r = readWorkerJson(body);
        if ('error' in r) {
          expect(['not-json', 'bad-shape']).toContain(r.error.cause);
          expect(r.error.message).not.toMatch(/\n/);
          return;
        }
        const w = r.worker;
        expect(w.agentName === undefined || typeof w.agentName === 'string').toBe(true);
        expect(w.activeJobs === undefined || Number.isFinite(w.activeJobs)).toBe(true);
        expect(w.workerLoad === undefined || Number.isFinite(w.workerLoad)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
  it('agent_name: 42 is "wrong type", not a healthy worker without a name', () => {
    const r = readWorkerJson('{"agent_name": 42, "active_jobs": 0, "worker_type": "JT_ROOM"}');
    expect(r).toMatchObject({ error: { cause: 'bad-shape' } });
    expect('error' in r && r.error.message).toMatch(/agent_name is a number \(42\), not a string/);
    expect(workerInfoTypeProblems({ agent_name: 'ok', active_jobs: 1 })).toEqual([]);
    expect(normaliseWorkerInfo({ agent_name: 'ok' }).agentName).toBe('ok');
  });
});

describe('token inspector', () => {
  const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
  const tokenish = fc.oneof(
    fc.string(),
    fc.tuple(fc.jsonValue(), fc.jsonValue(), fc.string()).map(([h, p, s]) => `${b64(h)}.${b64(p)}.${b64(s)}`),
    fc.tuple(fc.constantFrom('Bearer ', 'Authorization: Bearer ', '"', ''), fc.string(), fc.constantFrom('', '"', ',')).map((p) => p.join('')),
    fc.record({ exp: fc.oneof(fc.double(), fc.string(), fc.constant(1e300)), nbf: fc.double(), iss: fc.oneof(fc.string(), fc.integer()), video: fc.oneof(fc.jsonValue(), fc.record({ roomJoin: fc.boolean(), canPublishSources: fc.array(fc.jsonValue()) })), roomConfig: fc.jsonValue() }, { requiredKeys: [] })
      .map((p) => `${b64({ alg: 'HS256' })}.${b64(p)}.sig`),
  );
  it('cleanTokenInput + inspectToken: an inspection or one TokenFormatError line', () => {
    fc.assert(
      fc.property(tokenish, (raw) => {
        try {
          const t = inspectToken(cleanTokenInput(raw), { apiKey: 'APIabc', localNowMs: 1.7e12 });
          expect(typeof t.valid).toBe('boolean');
          for (const p of t.problems) expect(p.message).not.toMatch(/\n/);
        } catch (err) {
          expectClearError(err, TokenFormatError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('failure classifier', () => {
  it('classifyFailure: any thrown value → a cause and one line', () => {
    fc.assert(
      fc.property(fc.anything(), fc.string(), (thrown, op) => {
        const f = classifyFailure(thrown, op);
        expect(typeof f.cause).toBe('string');
        expect(f.message).not.toMatch(/\n/);
      }),
      RUNS,
    );
  });
});
