import { describe, it, expect } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSources, resolveField, FIELDS, type SourceOptions } from '../../src/config/resolve.js';
import { UsageError } from '../../src/core/errors.js';

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A home folder with an lk CLI config holding two projects, `dev` the default. */
function homeWithLkConfig(defaultProject = 'dev'): string {
  const home = tempDir('lkd-home-');
  mkdirSync(join(home, '.livekit'));
  writeFileSync(
    join(home, '.livekit', 'cli-config.yaml'),
    [
      `default_project: ${defaultProject}`,
      'projects:',
      '  - name: dev',
      '    url: ws://lk-dev.example:7880',
      '    api_key: APIfromlkdev',
      '    api_secret: lk-dev-secret-0123456789abcdef0123456789',
      '  - name: prod',
      '    url: wss://prod.livekit.cloud',
      '    api_key: APIfromlkprod',
      '    api_secret: lk-prod-secret-0123456789abcdef012345678',
    ].join('\n'),
  );
  return home;
}

function cwdWith(files: Record<string, string>): string {
  const dir = tempDir('lkd-cwd-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function resolveUrl(flags: Record<string, string | undefined>, opts: SourceOptions) {
  const sources = await collectSources(flags, opts);
  return { sources, url: resolveField(sources, FIELDS.url), key: resolveField(sources, FIELDS.apiKey) };
}

describe('settings precedence: flags > environment > env files (.env.local over .env) > lk project', () => {
  const home = homeWithLkConfig();
  const cwd = cwdWith({
    '.env': 'LIVEKIT_URL=ws://from-dotenv:7880\nLIVEKIT_API_KEY=APIfromdotenv\n',
    '.env.local': 'LIVEKIT_URL=ws://from-dotenv-local:7880\n',
  });

  it('a flag beats everything, and says so', async () => {
    const { url } = await resolveUrl({ url: 'ws://from-flag:7880' }, { cwd, home, env: { LIVEKIT_URL: 'ws://from-env:7880' } });
    expect(url).toEqual({ value: 'ws://from-flag:7880', from: { kind: 'flag', detail: 'flag --url' } });
  });

  it('the environment beats env files and the lk project', async () => {
    const { url } = await resolveUrl({}, { cwd, home, env: { LIVEKIT_URL: 'ws://from-env:7880' } });
    expect(url).toEqual({ value: 'ws://from-env:7880', from: { kind: 'env', detail: 'env LIVEKIT_URL' } });
  });

  it('an empty environment variable does not hide a lower source', async () => {
    const { url } = await resolveUrl({}, { cwd, home, env: { LIVEKIT_URL: '' } });
    expect(url?.value).toBe('ws://from-dotenv-local:7880');
  });

  it('.env.local beats .env, and .env still supplies what .env.local lacks, each with file and line', async () => {
    const { url, key, sources } = await resolveUrl({}, { cwd, home, env: {} });
    expect(url?.value).toBe('ws://from-dotenv-local:7880');
    expect(url?.from).toEqual({ kind: 'env-file', detail: `LIVEKIT_URL in ${join(cwd, '.env.local')} line 1` });
    expect(key?.value).toBe('APIfromdotenv');
    expect(key?.from.detail).toBe(`LIVEKIT_API_KEY in ${join(cwd, '.env')} line 2`);
    expect(sources.filesRead).toEqual([join(cwd, '.env.local'), join(cwd, '.env'), join(home, '.livekit', 'cli-config.yaml')]);
  });

  it('the lk default project fills in when nothing else sets a value', async () => {
    const { url, key } = await resolveUrl({}, { cwd: cwdWith({}), home, env: {} });
    expect(url?.value).toBe('ws://lk-dev.example:7880');
    expect(url?.from.kind).toBe('lk-project');
    expect(url?.from.detail).toContain('lk project "dev" (the default project');
    expect(key?.value).toBe('APIfromlkdev');
  });

  it('--project picks another lk project, and names the flag as the reason', async () => {
    const { url } = await resolveUrl({}, { cwd: cwdWith({}), home, env: {}, project: 'prod' });
    expect(url?.value).toBe('wss://prod.livekit.cloud');
    expect(url?.from.detail).toContain('lk project "prod" (from --project');
  });

  it('an unknown --project is a usage error listing the known ones', async () => {
    await expect(collectSources({}, { cwd, home, env: {}, project: 'staging' })).rejects.toThrow(/"staging".*known projects: dev, prod/);
    await expect(collectSources({}, { cwd, home: tempDir('lkd-empty-home-'), env: {}, project: 'x' })).rejects.toBeInstanceOf(UsageError);
  });

  it('explicit --env-file replaces the default files, in the given order; a missing one is a usage error', async () => {
    const dir = cwdWith({ 'a.env': 'LIVEKIT_URL=ws://a:1\n', 'b.env': 'LIVEKIT_URL=ws://b:1\n', '.env': 'LIVEKIT_URL=ws://default:1\n' });
    const { url, sources } = await resolveUrl({}, { cwd: dir, home: tempDir('lkd-h-'), env: {}, envFile: ['b.env', 'a.env'] });
    expect(url?.value).toBe('ws://b:1');
    expect(sources.filesRead).toEqual([join(dir, 'b.env'), join(dir, 'a.env')]);
    await expect(collectSources({}, { cwd: dir, env: {}, envFile: ['missing.env'] })).rejects.toThrow(/missing\.env \(from --env-file\) does not exist/);
  });

  it('--no-env-file reads no env files at all', async () => {
    const { url, sources } = await resolveUrl({}, { cwd, home: tempDir('lkd-h-'), env: {}, envFile: false });
    expect(url).toBeUndefined();
    expect(sources.filesRead).toEqual([]);
  });

  it('broken YAML in the lk config is a usage error that names the file', async () => {
    const h = tempDir('lkd-badyaml-');
    mkdirSync(join(h, '.livekit'));
    writeFileSync(join(h, '.livekit', 'cli-config.yaml'), 'projects: [\n  - name: x\n');
    await expect(collectSources({}, { cwd, home: h, env: {} })).rejects.toThrow(/cli-config\.yaml/);
  });
});
