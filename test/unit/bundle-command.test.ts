import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli.js';
import { renderJson } from '../../src/report/render-json.js';
import { BUNDLE_FILES } from '../../src/report/bundle.js';
import { probeNoJobReport } from './fixtures/reports.js';

/** `livekit-doctor bundle` as a real process (needs the build: npx tsc -p tsconfig.build.json). */
describe('livekit-doctor bundle <report.json>', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lkd-bundle-cmd-'));
  beforeAll(() => {
    expect(existsSync(join(process.cwd(), 'dist', 'commands', 'bundle.js')), 'run npx tsc -p tsconfig.build.json first').toBe(true);
    writeFileSync(join(dir, 'report.json'), renderJson(probeNoJobReport));
    writeFileSync(join(dir, 'garbage.json'), 'not json at all');
    writeFileSync(join(dir, 'other.json'), JSON.stringify({ schema: 'other@1' }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a zip with every file from a saved report and says where', async () => {
    const run = await runCli(['bundle', 'report.json', '-o', 'out.zip'], { cwd: dir, timeoutMs: 20_000 });
    expect(run.stderr).toContain(join(dir, 'out.zip'));
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    const files = unzipSync(new Uint8Array(readFileSync(join(dir, 'out.zip'))));
    expect(Object.keys(files).sort()).toEqual([...BUNDLE_FILES].sort());
    expect(JSON.parse(strFromU8(files['report.json']!)).checks).toHaveLength(probeNoJobReport.checks.length);
  });

  it('names the zip after the run when -o is not given, and prints JSON with --json', async () => {
    const run = await runCli(['bundle', 'report.json', '--json'], { cwd: dir, timeoutMs: 20_000 });
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.bundle).toBe(join(dir, 'livekit-doctor-bundle-20250314T092653Z.zip'));
    expect(existsSync(out.bundle)).toBe(true);
  });

  for (const [name, args, message] of [
    ['a missing file', ['bundle', 'missing.json'], /^livekit-doctor: cannot read report missing\.json: no such file$/],
    ['a garbage file', ['bundle', 'garbage.json'], /^livekit-doctor: garbage\.json is not JSON; save a report with/],
    ['a foreign JSON file', ['bundle', 'other.json'], /^livekit-doctor: other\.json is not a livekit-doctor report: expected schema "livekit-doctor\/report@1" \(found schema "other@1"\)$/],
  ] as const) {
    it(`refuses ${name} with one line and exit 2`, async () => {
      const run = await runCli([...args], { cwd: dir, timeoutMs: 20_000 });
      expect(run.code).toBe(2);
      const lines = run.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
      expect(run.stdout).toBe('');
    });
  }
});
