import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLE_FILES, buildBundle, defaultBundleName, loadReportFile, writeBundle } from '../../src/report/bundle.js';
import { collectEnvironment, installedVersion } from '../../src/report/environment.js';
import { renderJson } from '../../src/report/render-json.js';
import { UsageError } from '../../src/core/errors.js';
import { findingsAgentReport, probeNoJobReport } from './fixtures/reports.js';

const tmp = mkdtempSync(join(tmpdir(), 'lkd-bundle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const unpack = (bytes: Uint8Array) => Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]));

describe('buildBundle', () => {
  it('holds every file, each non-empty and in its format', () => {
    const files = unpack(buildBundle(findingsAgentReport));
    expect(Object.keys(files).sort()).toEqual([...BUNDLE_FILES].sort());
    for (const name of BUNDLE_FILES) expect(files[name]!.length, name).toBeGreaterThan(20);
    expect(JSON.parse(files['report.json']!)).toEqual(JSON.parse(renderJson(findingsAgentReport)));
    expect(files['report.md']).toContain('## Checks');
    expect(files['report.html']).toContain('<svg class="timeline"');
    expect(files['support-message.md']).toContain('Worker ids: AW_probe01, AW_other, AW_mine');
    const log = files['protocol-log.jsonl']!.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(log).toEqual(findingsAgentReport.timeline);
    const env = JSON.parse(files['environment.json']!);
    expect(env.livekitDoctor).toBe('0.1.0');
    expect(env.node).toBe(process.version);
    expect(env.server).toMatchObject({ version: '1.13.5', region: 'local', nodeId: 'ND_test123' });
    expect(env.clockOffsetMs).toBe(12);
  });

  it('masks the key and never shows the secret in settings.json', () => {
    const files = unpack(
      buildBundle(probeNoJobReport, {
        settings: {
          url: { shown: 'ws://127.0.0.1:7880', from: 'flag --url' },
          apiKey: { shown: 'APIabcdefgh', from: 'flag --api-key' },
          apiSecret: { shown: 'SECRETLEAKCANARYshownbymistake', from: 'flag --api-secret' },
        },
      }),
    );
    const settings = JSON.parse(files['settings.json']!);
    expect(settings).toEqual({
      url: { shown: 'ws://127.0.0.1:7880', from: 'flag --url' },
      apiKey: { shown: 'APIa…', from: 'flag --api-key' },
      apiSecret: { shown: '(set)', from: 'flag --api-secret' },
    });
  });

  it('adds the verbose terminal text only when verbose', () => {
    expect(unpack(buildBundle(probeNoJobReport))['report.txt']).toBeUndefined();
    const txt = unpack(buildBundle(probeNoJobReport, { verbose: true }))['report.txt']!;
    expect(txt).toContain('dispatchId: AD_d2');
    expect(txt.trimEnd().split('\n').at(-1)).toBe('6 passed, 1 failed, 2 skipped');
  });

  it('writes the zip to disk and names it after the run start', () => {
    const path = join(tmp, 'b.zip');
    const bytes = writeBundle(path, probeNoJobReport);
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
    expect(defaultBundleName(probeNoJobReport)).toBe('livekit-doctor-bundle-20250314T092653Z.zip');
  });
});

describe('collectEnvironment', () => {
  it('reads installed LiveKit package versions from their package.json', () => {
    const env = collectEnvironment(probeNoJobReport);
    const expected = JSON.parse(readFileSync(join(process.cwd(), 'node_modules', 'livekit-server-sdk', 'package.json'), 'utf8')).version;
    expect(env.packages['livekit-server-sdk']).toBe(expected);
    expect(env.packages['@livekit/protocol']).toMatch(/^\d+\.\d+\.\d+/);
    expect(env.packages['@livekit/rtc-node']).toMatch(/^\d+\.\d+\.\d+/);
    expect(installedVersion('no-such-package-livekit-doctor')).toBeNull();
    expect(env.os.arch).toBe(process.arch);
  });
});

describe('loadReportFile', () => {
  it('reads a saved report and refuses missing, non-JSON and foreign files with a usage error', () => {
    const good = join(tmp, 'good.json');
    const bad = join(tmp, 'bad.json');
    const foreign = join(tmp, 'foreign.json');
    writeFileSync(good, renderJson(probeNoJobReport));
    writeFileSync(bad, '{ not json');
    writeFileSync(foreign, JSON.stringify({ schema: 'something-else@2', checks: [] }));
    expect(loadReportFile(good).checks).toHaveLength(probeNoJobReport.checks.length);
    expect(() => loadReportFile(join(tmp, 'missing.json'))).toThrow(/cannot read report .*missing\.json: no such file/);
    expect(() => loadReportFile(bad)).toThrow(UsageError);
    expect(() => loadReportFile(bad)).toThrow(/is not JSON/);
    expect(() => loadReportFile(foreign)).toThrow(/expected schema "livekit-doctor\/report@1" \(found schema "something-else@2"\)/);
  });
});
