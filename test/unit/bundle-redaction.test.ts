import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle, loadReportFile, redactRendered } from '../../src/report/bundle.js';
import { buildReport, type ReportInput } from '../../src/report/build.js';
import { Timeline } from '../../src/core/timeline.js';
import { registerSecret } from '../../src/core/redact.js';
import { renderGithubAnnotations, renderGithubSummary } from '../../src/report/render-github.js';
import { renderJunit } from '../../src/report/render-junit.js';
import { renderTerminal } from '../../src/report/render-terminal.js';
import type { Report } from '../../src/core/model.js';
import { allFixtureReports, findingsAgentReport } from './fixtures/reports.js';
import { expectNoSecrets, JWT_LIKE } from '../harness/scenarios.js';

/**
 * A Report is redacted where it enters (buildReport, loadReportFile) and the bundle redacts once more:
 * a secret, a JWT or an Authorization header that slipped into any field never reaches an output.
 */
const SECRET = 'SECRETLEAKCANARY-9f8e7d6c5b4a';
const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJBUElrZXkiLCJzdWIiOiJwcm9iZSJ9.c2lnbmF0dXJlLXZhbHVlLWhlcmU';
const BEARER = 'Authorization: Bearer opaque-token-value-123';

const AUTH_VALUE = /(Bearer\s+(?!\[redacted\])\S|opaque-token-value-123)/i;

function leakyReport(): Report {
  const report = structuredClone(findingsAgentReport);
  report.target.settings.apiSecret = { shown: SECRET, from: 'flag --api-secret' };
  report.target.settings.token = { shown: JWT, from: 'flag --token' };
  report.conclusion = `conclusion with ${SECRET}`;
  const check = report.checks[5]!;
  check.summary = `401: invalid token: ${JWT}, error: expired`;
  check.details = [BEARER, `secret=${SECRET}`];
  check.evidence = { header: BEARER, echoed: `wss://host/rtc?access_token=${JWT}`, apiSecret: SECRET, nested: { token: JWT, list: [SECRET] } };
  check.fix = { text: `retry with ${SECRET}`, commands: [`curl -H "${BEARER}" https://x`], links: [`https://x/?token=${JWT}`] };
  report.findings[0]!.evidence.push(`server said: invalid token: ${JWT}`, BEARER);
  report.timeline.push({ atMs: 500, source: 'probe', type: 'socket-open', detail: { url: `ws://127.0.0.1/agent?access_token=${JWT}`, headers: { authorization: `Bearer ${JWT}` }, secret: SECRET, note: SECRET } });
  report.server.version = `1.13.5 ${SECRET}`;
  return report;
}

/** The same leaks as they reach buildReport during a run. */
function leakyInput(): ReportInput {
  const r = leakyReport();
  const timeline = new Timeline();
  for (const e of r.timeline) timeline.add(e.source, e.type, e.detail);
  return { version: r.tool.version, command: r.command, timeline, checks: r.checks, findings: r.findings, conclusion: r.conclusion, server: r.server, target: r.target, exitCode: r.exitCode };
}

/** No secret, no canary, nothing JWT-shaped, no Authorization value; `name` says what was scanned. */
function expectClean(name: string, text: string) {
  expectNoSecrets(text, { secrets: [SECRET], patterns: [JWT_LIKE, AUTH_VALUE], label: name });
}

describe('bundle redaction guarantee', () => {
  // The doctor registers the secret when it resolves settings; do the same here.
  beforeAll(() => registerSecret(SECRET));

  it('leaves no secret, JWT or Authorization value in any file of the bundle', () => {
    const files = unzipSync(buildBundle(leakyReport(), { verbose: true }));
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(8);
    for (const [name, data] of Object.entries(files)) expectClean(name, strFromU8(data));
    // The redacted report is still a report: the leaky check and its redaction markers are there.
    const json = JSON.parse(strFromU8(files['report.json']!));
    expect(json.checks[5].summary).toContain('[jwt redacted]');
    expect(json.checks[5].fix.commands[0]).toBe('curl -H "Authorization: Bearer [redacted]" https://x');
    for (const line of strFromU8(files['protocol-log.jsonl']!).trimEnd().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    expect(strFromU8(files['report.html']!)).toContain('Authorization: Bearer [redacted]</p>');
  });

  it('the last pass removes what is left without eating markup after earlier markers', () => {
    expect(redactRendered('<p>Authorization: [redacted]</p> <p>next</p>')).toBe('<p>Authorization: [redacted]</p> <p>next</p>');
    expect(redactRendered('"a?token=[redacted]\\" x')).toBe('"a?token=[redacted]\\" x');
    // A raw header reaching this pass (renderers redact before rendering, so it should not) still goes.
    const raw = redactRendered(`<td>Authorization: Bearer abc.def</td> ${JWT}`);
    expect(raw).not.toContain('abc.def');
    expect(raw).not.toMatch(JWT_LIKE);
    expect(redactRendered(`x ${SECRET} y`)).toBe('x [redacted] y');
  });

  it('every renderer used outside the bundle gets a redacted report: from the run (buildReport) or from a file (loadReportFile)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lkd-redaction-'));
    const file = join(dir, 'report.json');
    writeFileSync(file, JSON.stringify(leakyReport()));
    for (const [source, report] of [['buildReport', buildReport(leakyInput())], ['loadReportFile', loadReportFile(file)]] as const) {
      const outputs = {
        terminal: renderTerminal(report, { color: false, verbose: true }),
        junit: renderJunit(report),
        annotations: renderGithubAnnotations(report),
        summary: renderGithubSummary(report),
      };
      for (const [name, text] of Object.entries(outputs)) expectClean(`${name} (${source})`, text);
    }
  });

  it('the scan itself catches a leak (so the test above can fail)', () => {
    const leak = structuredClone(allFixtureReports.healthyReport);
    const raw = JSON.stringify({ ...leak, conclusion: `${JWT} ${BEARER} ${SECRET}` });
    expect(() => expectClean('raw', raw)).toThrow();
    expect(() => expectClean('jwt', JWT)).toThrow();
    expect(() => expectClean('bearer', BEARER)).toThrow();
  });
});
