import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnvText, readEnvFile } from '../../src/config/env-file.js';

const value = (text: string, key: string) => parseEnvText(text).entries.get(key)?.value;

describe('parseEnvText: .env files as dotenv and Next.js read them', () => {
  it('reads plain KEY=value lines with their 1-based line numbers', () => {
    const file = parseEnvText('\nLIVEKIT_URL=ws://127.0.0.1:7880\nLIVEKIT_API_KEY=APIabc\n');
    expect(file.entries.get('LIVEKIT_URL')).toEqual({ key: 'LIVEKIT_URL', value: 'ws://127.0.0.1:7880', line: 2, quoted: false });
    expect(file.entries.get('LIVEKIT_API_KEY')?.line).toBe(3);
  });

  it('accepts an `export` prefix and spaces around =', () => {
    expect(value('export LIVEKIT_API_KEY=APIx', 'LIVEKIT_API_KEY')).toBe('APIx');
    expect(value('  export   A  =  b  ', 'A')).toBe('b');
  });

  it('skips full-line comments and blank lines, and cuts inline " #" comments off unquoted values', () => {
    const file = parseEnvText('# LIVEKIT_URL=ws://commented\n\n   # indented comment\nLIVEKIT_URL=wss://x.livekit.cloud # prod\nB=a#b');
    expect(file.entries.get('LIVEKIT_URL')?.value).toBe('wss://x.livekit.cloud');
    expect(file.entries.size).toBe(2);
    // Only a # after whitespace starts a comment: secrets may contain #.
    expect(file.entries.get('B')?.value).toBe('a#b');
  });

  it('unquotes single, double and back quotes; keeps # inside quotes; marks the value quoted', () => {
    const file = parseEnvText(`A='one # two'\nB="three"\nC=\`four\`\nD=plain`);
    expect(file.entries.get('A')).toMatchObject({ value: 'one # two', quoted: true });
    expect(file.entries.get('B')).toMatchObject({ value: 'three', quoted: true });
    expect(file.entries.get('C')).toMatchObject({ value: 'four', quoted: true });
    expect(file.entries.get('D')?.quoted).toBe(false);
  });

  it('expands \\n and \\" only inside double quotes', () => {
    expect(value('A="x\\ny \\"q\\""', 'A')).toBe('x\ny "q"');
    expect(value("A='x\\ny'", 'A')).toBe('x\\ny');
  });

  it('reads a quoted value across lines until its closing quote, and keeps counting lines after it', () => {
    const file = parseEnvText('A="first\nsecond\nthird"\nB=after');
    expect(file.entries.get('A')?.value).toBe('first\nsecond\nthird');
    expect(file.entries.get('B')?.line).toBe(4);
  });

  it('lets a later line for the same key win, strips a BOM, and handles CRLF', () => {
    const file = parseEnvText('\uFEFFA=1\r\nA=2\r\nB=x\r\n');
    expect(file.entries.get('A')).toMatchObject({ value: '2', line: 2 });
    expect(file.entries.get('B')?.value).toBe('x');
  });

  it('keeps whitespace inside quotes (validation reports it later) and ignores lines that are not assignments', () => {
    const file = parseEnvText('LIVEKIT_API_SECRET=" padded "\nnot an assignment\n=novalue');
    expect(file.entries.get('LIVEKIT_API_SECRET')?.value).toBe(' padded ');
    expect(file.entries.size).toBe(1);
  });

  it('readEnvFile reads from disk and records the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lkd-envfile-'));
    const path = join(dir, '.env');
    writeFileSync(path, 'LIVEKIT_URL=ws://localhost:7880\n');
    const file = readEnvFile(path);
    expect(file.path).toBe(path);
    expect(file.entries.get('LIVEKIT_URL')?.value).toBe('ws://localhost:7880');
  });
});
