import { describe, it, expect } from 'vitest';
import { ExitCode, InternalError } from '../../src/core/errors.js';

const SECRET = 'SECRETLEAKCANARYissue0123456789abcdef';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const KEY = 'APIissuekey123';
const argv = (...args: string[]) => [process.execPath, '/usr/lib/node_modules/livekit-doctor/bin/livekit-doctor.js', ...args];

describe('InternalError.issueText: a bug report a user can paste', () => {
  it('removes the values of --api-secret, --token and --api-key given as `--flag value`', () => {
    const text = new InternalError(new Error('boom')).issueText({
      version: '0.1.0',
      argv: argv('check', '--url', 'ws://127.0.0.1:7880', '--api-key', KEY, '--api-secret', SECRET, '--token', TOKEN, '--json'),
    });
    expect(text).toContain('command: livekit-doctor check --url ws://127.0.0.1:7880 --api-key <removed> --api-secret <removed> --token <removed> --json\n');
    for (const value of [SECRET, TOKEN, KEY]) expect(text).not.toContain(value);
  });

  it('removes them given as `--flag=value`, and keeps every other flag as typed', () => {
    const text = new InternalError(new Error('boom')).issueText({
      version: '0.1.0',
      argv: argv('token', 'inspect', `--token=${TOKEN}`, `--api-secret=${SECRET}`, `--api-key=${KEY}`, '--agent=my-agent', '--timeout', '5'),
    });
    expect(text).toContain('command: livekit-doctor token inspect --token=<removed> --api-secret=<removed> --api-key=<removed> --agent=my-agent --timeout 5\n');
    for (const value of [SECRET, TOKEN, KEY]) expect(text).not.toContain(value);
  });

  it('names the version, the Node version and platform, the message and where it failed', () => {
    const err = new TypeError("Cannot read properties of undefined (reading 'room')");
    const failure = new InternalError(err);
    expect(failure.exitCode).toBe(ExitCode.internal);
    const text = failure.issueText({ version: '9.8.7', argv: argv('check') });
    const lines = text.split('\n');
    expect(lines[0]).toBe('--- bug report (paste it into a new issue) ---');
    expect(lines[1]).toBe("livekit-doctor 9.8.7 internal error: Cannot read properties of undefined (reading 'room')");
    expect(lines[2]).toBe('command: livekit-doctor check');
    expect(lines[3]).toBe(`node ${process.version} on ${process.platform}-${process.arch}`);
    expect(lines[4]).toBe('where:');
    // The first frames of the stack, indented; at most three.
    const frames = lines.slice(5, -1);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.length).toBeLessThanOrEqual(3);
    for (const f of frames) expect(f).toMatch(/^ {2}at /);
    expect(frames[0]).toContain('internal-error.test.ts');
    expect(lines.at(-1)).toBe('---');
  });

  it('a thrown non-Error: its text, and no "where" section', () => {
    const text = new InternalError('a string was thrown').issueText({ version: '0.1.0', argv: argv('rooms') });
    expect(text).toContain('livekit-doctor 0.1.0 internal error: a string was thrown\n');
    expect(text).not.toContain('where:');
    expect(text.split('\n')).toHaveLength(5);
  });
});
