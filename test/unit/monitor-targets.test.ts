import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { redact } from '../../src/core/redact.js';
import { expandReferences, loadTargetsFile, parseTargetsDocument, MAX_TARGETS } from '../../src/monitor/targets.js';

const env = { LIVEKIT_API_KEY_EU: 'APIeu123456', LIVEKIT_API_SECRET_EU: 'eu-secret-value-0123456789abcdef', EMPTY: '' };
const dir = mkdtempSync(join(tmpdir(), 'lkd-monitor-targets-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).not.toContain('\n');
    return (err as Error).message;
  }
  return expect.fail('no usage error');
}

describe('monitor targets: ${ENV} references', () => {
  it('replaces ${NAME} with the variable and $$ with a literal $', () => {
    expect(expandReferences('${LIVEKIT_API_SECRET_EU}', env, 'x')).toEqual({ value: env.LIVEKIT_API_SECRET_EU, referenced: true });
    expect(expandReferences('wss://${LIVEKIT_API_KEY_EU}.example/$$x', env, 'x')).toEqual({ value: 'wss://APIeu123456.example/$x', referenced: true });
    expect(expandReferences('plain$value', env, 'x')).toEqual({ value: 'plain$value', referenced: false });
  });

  it('names an unset or empty variable, and a malformed reference, in one line', () => {
    expect(usage(() => expandReferences('${NOPE}', env, 'target "eu" api_secret'))).toBe('target "eu" api_secret references ${NOPE}, which is not set in the environment; export it before starting the monitor');
    expect(usage(() => expandReferences('${EMPTY}', env, 'w'))).toMatch(/\$\{EMPTY\}, which is empty/);
    expect(usage(() => expandReferences('${BAD-NAME}', env, 'w'))).toMatch(/"\$\{BAD-NAME" is not a reference/);
    expect(usage(() => expandReferences('${UNCLOSED', env, 'w'))).toMatch(/is not a reference/);
  });
});

describe('monitor targets: the YAML document', () => {
  const eu = { name: 'eu', url: 'wss://eu.example.livekit.cloud', api_key: '${LIVEKIT_API_KEY_EU}', api_secret: '${LIVEKIT_API_SECRET_EU}' };

  it('reads a list or {targets: [...]}, with each target\u2019s interval and agent', () => {
    const listed = parseTargetsDocument([eu, { ...eu, name: 'us', interval: '5m', agent: 'support-agent' }], env, 't.yaml');
    expect(listed.targets).toEqual([
      { name: 'eu', url: 'wss://eu.example.livekit.cloud', apiKey: 'APIeu123456', apiSecret: env.LIVEKIT_API_SECRET_EU },
      { name: 'us', url: 'wss://eu.example.livekit.cloud', apiKey: 'APIeu123456', apiSecret: env.LIVEKIT_API_SECRET_EU, intervalMs: 300_000, agent: 'support-agent' },
    ]);
    expect(listed.warnings).toEqual([]);
    const camel = { name: 'eu', url: eu.url, apiKey: 'APIx12345', apiSecret: '${LIVEKIT_API_SECRET_EU}', interval: 30 };
    expect(parseTargetsDocument({ targets: [camel] }, env, 't.yaml').targets[0]).toMatchObject({ apiKey: 'APIx12345', intervalMs: 30_000 });
  });

  it('registers the secrets it read, so that redact() removes them everywhere', () => {
    parseTargetsDocument([{ ...eu, api_secret: '${S}' }], { ...env, S: 'registered-secret-from-env-42' }, 't.yaml');
    expect(redact('a registered-secret-from-env-42 b')).toBe('a [redacted] b');
  });

  it('warns (without the value) when a secret is written into the file', () => {
    const { warnings } = parseTargetsDocument([{ ...eu, name: 'eu-west.1', api_secret: 'literal-secret-in-file-0123' }], env, 't.yaml');
    expect(warnings).toEqual(['--targets t.yaml: target "eu-west.1": api_secret is written into the file; reference an environment variable instead, e.g. api_secret: ${LIVEKIT_API_SECRET_EU_WEST_1}']);
    expect(warnings.join()).not.toContain('literal-secret-in-file');
  });

  it('refuses what would make a bad label or an unusable target, naming the target', () => {
    expect(usage(() => parseTargetsDocument([], env, 't.yaml'))).toMatch(/expected a list of targets/);
    expect(usage(() => parseTargetsDocument({ other: 1 }, env, 't.yaml'))).toMatch(/expected a list of targets/);
    expect(usage(() => parseTargetsDocument(['eu'], env, 't.yaml'))).toBe('--targets t.yaml: target 1 is not a mapping (name: …, url: …)');
    expect(usage(() => parseTargetsDocument([{ ...eu, name: 'eu west' }], env, 't.yaml'))).toMatch(/name "eu west" must be 1-63 letters/);
    expect(usage(() => parseTargetsDocument([{ ...eu, name: 'x'.repeat(64) }], env, 't.yaml'))).toMatch(/must be 1-63/);
    expect(usage(() => parseTargetsDocument([eu, eu], env, 't.yaml'))).toBe('--targets t.yaml: two targets are named "eu"; names must be unique');
    expect(usage(() => parseTargetsDocument([{ ...eu, secret: 'x' }], env, 't.yaml'))).toMatch(/unknown key "secret"; known: name, url/);
    expect(usage(() => parseTargetsDocument([{ ...eu, url: undefined }], env, 't.yaml'))).toMatch(/must be a text value/);
    const { url: _, ...noUrl } = eu;
    expect(usage(() => parseTargetsDocument([noUrl], env, 't.yaml'))).toBe('--targets t.yaml: target "eu" has no url');
    expect(usage(() => parseTargetsDocument([{ ...eu, interval: '5x' }], env, 't.yaml'))).toMatch(/target "eu" interval "5x" is not an interval/);
    expect(usage(() => parseTargetsDocument([{ ...eu, agent: ' ' }], env, 't.yaml'))).toMatch(/agent is empty/);
    expect(usage(() => parseTargetsDocument([{ ...eu, api_secret: '${MISSING_SECRET}' }], env, 't.yaml'))).toMatch(/target 1 api_secret references \$\{MISSING_SECRET\}, which is not set/);
    const many = Array.from({ length: MAX_TARGETS + 1 }, (_, i) => ({ ...eu, name: `t${i}` }));
    expect(usage(() => parseTargetsDocument(many, env, 't.yaml'))).toMatch(/at most 50 per monitor/);
  });

  it('loads a file: YAML errors and missing files are one usage line', async () => {
    const good = file('good.yaml', 'targets:\n  - name: eu\n    url: wss://eu.example\n    api_key: ${LIVEKIT_API_KEY_EU}\n    api_secret: ${LIVEKIT_API_SECRET_EU}\n    interval: 30s\n');
    expect((await loadTargetsFile(good, env)).targets).toEqual([{ name: 'eu', url: 'wss://eu.example', apiKey: 'APIeu123456', apiSecret: env.LIVEKIT_API_SECRET_EU, intervalMs: 30_000 }]);
    await expect(loadTargetsFile(join(dir, 'none.yaml'), env)).rejects.toThrow(/--targets .*none\.yaml: no such file/);
    await expect(loadTargetsFile(dir, env)).rejects.toThrow(/is a folder/);
    const bad = file('bad.yaml', 'targets:\n  - name: eu\n   url: [unclosed\n');
    const err = await loadTargetsFile(bad, env).then(() => undefined, (e: Error) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err!.message).toMatch(/^--targets .*bad\.yaml: not valid YAML \(/);
    expect(err!.message).not.toContain('\n');
  });
});
