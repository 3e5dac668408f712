import { describe, it, expect, beforeEach } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { companionFiles, loadComponentEnv, missingEnvFiles, type Component } from '../../src/evidence/component-env/load.js';
import { compareComponents, describeMismatch, hostOf } from '../../src/evidence/component-env/compare.js';
import { credentialSets } from '../../src/evidence/component-env/credentials.js';

const SECRET_A = 'SECRETLEAKCANARYaaaaaaaaaaaaaaaaaaaaaaaa';
const SECRET_B = 'SECRETLEAKCANARYbbbbbbbbbbbbbbbbbbbbbbbb';
let root: string;

function envFile(component: string, text: string, name = '.env'): string {
  const dir = join(root, component);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const project = (extra = '') => `LIVEKIT_URL=wss://demo.livekit.cloud\nLIVEKIT_API_KEY=APIdemo1234\nLIVEKIT_API_SECRET=${SECRET_A}\n${extra}`;
const load = (files: [Component, string][]) => files.map(([c, p]) => loadComponentEnv(c, p));
const kinds = (files: [Component, string][]) => compareComponents(load(files)).map((m) => m.kind);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lkd-envcmp-'));
});

describe('env comparison', () => {
  it('same project and agent name in every component: no mismatch', () => {
    const agent = envFile('agent', project('LIVEKIT_AGENT_NAME=my-agent\n'));
    const backend = envFile('backend', project('AGENT_NAME=my-agent\n'));
    const frontend = envFile('frontend', 'NEXT_PUBLIC_LIVEKIT_URL=https://demo.livekit.cloud\n');
    expect(kinds([['agent', agent], ['backend', backend], ['frontend', frontend]])).toEqual([]);
  });

  it('a different URL host is a url-host mismatch naming both files and lines', () => {
    const agent = envFile('agent', project());
    const backend = envFile('backend', `# backend\nLIVEKIT_URL=wss://other.livekit.cloud\nLIVEKIT_API_KEY=APIdemo1234\nLIVEKIT_API_SECRET=${SECRET_A}\n`);
    const [m] = compareComponents(load([['agent', agent], ['backend', backend]]));
    expect(m!.kind).toBe('url-host');
    expect(m!.message).toContain('demo.livekit.cloud:443 vs other.livekit.cloud:443');
    const text = describeMismatch(m!).join('\n');
    expect(text).toContain(`agent LIVEKIT_URL=wss://demo.livekit.cloud (${agent} line 1)`);
    expect(text).toContain(`backend LIVEKIT_URL=wss://other.livekit.cloud (${backend} line 2)`);
  });

  it('a localhost URL where the others are remote is named as such', () => {
    const agent = envFile('agent', 'LIVEKIT_URL=ws://localhost:7880\n');
    const backend = envFile('backend', project());
    const frontend = envFile('frontend', 'NEXT_PUBLIC_LIVEKIT_URL=wss://demo.livekit.cloud\n');
    const [m] = compareComponents(load([['agent', agent], ['backend', backend], ['frontend', frontend]]));
    expect(m!.kind).toBe('url-localhost');
    expect(m!.message).toMatch(/^agent points at a local server \(ws:\/\/localhost:7880\) while backend, frontend use demo\.livekit\.cloud:443/);
  });

  it('a different API key: masked keys, the secret never shown', () => {
    const agent = envFile('agent', project());
    const backend = envFile('backend', `LIVEKIT_URL=wss://demo.livekit.cloud\nLIVEKIT_API_KEY=APIzzz999\nLIVEKIT_API_SECRET=${SECRET_B}\n`);
    const ms = compareComponents(load([['agent', agent], ['backend', backend]]));
    expect(ms.map((m) => m.kind)).toEqual(['api-key']);
    const text = ms.flatMap(describeMismatch).join('\n');
    expect(text).toContain('LIVEKIT_API_KEY=APId…');
    expect(text).toContain('LIVEKIT_API_KEY=APIz…');
    expect(text).not.toContain('APIdemo1234');
    expect(text).not.toContain('SECRETLEAKCANARY');
  });

  it('keys that look the same when masked are said to differ after the shown characters', () => {
    const agent = envFile('agent', 'LIVEKIT_API_KEY=APIabc111\n');
    const backend = envFile('backend', 'LIVEKIT_API_KEY=APIabc222\n');
    const [m] = compareComponents(load([['agent', agent], ['backend', backend]]));
    expect(m!.message).toContain('differ after the characters shown');
  });

  it('the same key with different secrets: api-secret mismatch, values hidden', () => {
    const agent = envFile('agent', project());
    const backend = envFile('backend', project().replace(SECRET_A, SECRET_B));
    const ms = compareComponents(load([['agent', agent], ['backend', backend]]));
    expect(ms.map((m) => m.kind)).toEqual(['api-secret']);
    const text = ms.flatMap(describeMismatch).join('\n');
    expect(text).toContain('(secret, not shown)');
    expect(text).not.toContain('SECRETLEAKCANARY');
  });

  it('agent names differing by case: agent-name-near, with the case named', () => {
    const agent = envFile('agent', 'LIVEKIT_AGENT_NAME=My-Agent\n');
    const backend = envFile('backend', 'AGENT_NAME=my-agent\n');
    const [m] = compareComponents(load([['agent', agent], ['backend', backend]]));
    expect(m!.kind).toBe('agent-name-near');
    expect(m!.message).toContain('case differs');
  });

  it('agent names differing by a trailing space (quoted in the file): agent-name-near, space made visible', () => {
    const agent = envFile('agent', 'LIVEKIT_AGENT_NAME="my-agent "\n');
    const backend = envFile('backend', 'LIVEKIT_AGENT_NAME=my-agent\n');
    const [m] = compareComponents(load([['agent', agent], ['backend', backend]]));
    expect(m!.kind).toBe('agent-name-near');
    expect(m!.message).toMatch(/differ only in case or spacing: agent's name has 1 trailing whitespace/);
    expect(describeMismatch(m!).join('\n')).toContain('"my-agent␠"');
  });

  it('entirely different agent names and deployments', () => {
    const agent = envFile('agent', 'LIVEKIT_AGENT_NAME=support-bot\nLIVEKIT_AGENT_DEPLOYMENT=prod\n');
    const backend = envFile('backend', 'LIVEKIT_AGENT_NAME=travel-assistant\nLIVEKIT_AGENT_DEPLOYMENT=staging\n');
    expect(kinds([['agent', agent], ['backend', backend]])).toEqual(['agent-name', 'deployment']);
  });

  it('reads quotes, export prefixes and comments; .env.local overrides .env (Next.js order)', () => {
    const backend = envFile(
      'backend',
      `# LiveKit\nexport LIVEKIT_URL='wss://demo.livekit.cloud'   \nexport LIVEKIT_API_KEY="APIdemo1234" # the key\nLIVEKIT_API_SECRET=${SECRET_A} # inline comment\nLIVEKIT_AGENT_NAME=old-name\n`,
    );
    envFile('backend', 'LIVEKIT_AGENT_NAME=my-agent\n', '.env.local');
    const env = loadComponentEnv('backend', backend);
    expect(env.files.map((f) => f.split('/').pop())).toEqual(['.env.local', '.env']);
    expect(env.get('LIVEKIT_URL')).toMatchObject({ value: 'wss://demo.livekit.cloud', line: 2 });
    expect(env.get('LIVEKIT_API_KEY')!.value).toBe('APIdemo1234');
    expect(env.get('LIVEKIT_API_SECRET')!.value).toBe(SECRET_A);
    expect(env.get('LIVEKIT_AGENT_NAME')).toMatchObject({ value: 'my-agent', file: join(root, 'backend', '.env.local'), line: 1 });
    const agent = envFile('agent', project('LIVEKIT_AGENT_NAME=my-agent\n'));
    expect(kinds([['agent', agent], ['backend', backend]])).toEqual([]);
  });

  it('.env.production: its .local file and .env.local come first', () => {
    const prod = envFile('frontend', 'X=1\n', '.env.production');
    envFile('frontend', 'X=2\n', '.env.production.local');
    envFile('frontend', 'X=3\n', '.env');
    expect(companionFiles(prod).map((f) => f.split('/').pop())).toEqual(['.env.production.local', '.env.production', '.env']);
  });

  it('a missing file is reported by path', () => {
    const agent = envFile('agent', project());
    expect(missingEnvFiles([agent, join(root, 'nope/.env'), undefined])).toEqual([join(root, 'nope/.env')]);
  });

  it('credential sets: one per distinct URL+key+secret, components grouped', () => {
    const agent = envFile('agent', project());
    const backend = envFile('backend', project());
    const other = envFile('frontend', `LIVEKIT_URL=wss://demo.livekit.cloud\nLIVEKIT_API_KEY=APIzzz999\nLIVEKIT_API_SECRET=${SECRET_B}\n`);
    const inv = credentialSets(load([['agent', agent], ['backend', backend], ['frontend', other]]));
    expect(inv.sets.map((s) => s.components)).toEqual([['agent', 'backend'], ['frontend']]);
    const partial = credentialSets(load([['agent', envFile('x', 'LIVEKIT_API_KEY=APIonly\n')]]));
    expect(partial.incomplete).toEqual([{ component: 'agent', missing: ['LIVEKIT_URL', 'LIVEKIT_API_SECRET'] }]);
  });

  it('hostOf: scheme pairs address the same server', () => {
    expect(hostOf('wss://a.livekit.cloud')!.host).toBe(hostOf('https://a.livekit.cloud/')!.host);
    expect(hostOf('ws://127.0.0.1:7880')).toEqual({ host: '127.0.0.1:7880', local: true });
    expect(hostOf('not a url')).toBeUndefined();
  });
});
