import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/render-html.js';
import { niceStep } from '../../src/report/render-html-timeline.js';
import { allFixtureReports, probeNoJobReport } from './fixtures/reports.js';

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

describe('renderHtml', () => {
  for (const [name, report] of Object.entries(allFixtureReports)) {
    it(`${name}: a bar and a checklist row per check, a tick per event, no external asset or script`, () => {
      const html = renderHtml(report);
      expect(count(html, /<g class="bar" /g)).toBe(report.checks.length);
      expect(count(html, /<tr class="check /g)).toBe(report.checks.length);
      expect(count(html, /<g class="event-tick" /g)).toBe(report.timeline.length);
      for (const check of report.checks) {
        expect(html).toContain(`<g class="bar" data-check-id="${check.id}" data-status="${check.status}">`);
        expect(html).toContain(`<tr class="check status-${check.status}" data-check-id="${check.id}"`);
      }
      expect(html).not.toMatch(/<script|<link |src="http|url\(http|@import/i);
    });
  }

  it('colours the failed bar red, hatches skipped bars and marks where the path stopped', () => {
    const html = renderHtml(probeNoJobReport);
    const failedBar = /<g class="bar" data-check-id="probe.job-received"[^]*?<\/g>/.exec(html)![0];
    expect(failedBar).toContain('fill="#d73a49"');
    expect(failedBar).toContain('>5.00 s</text>');
    const skippedBar = /<g class="bar" data-check-id="probe.job-assigned"[^]*?<\/g>/.exec(html)![0];
    expect(skippedBar).toContain('fill="url(#skip-hatch)"');
    expect(skippedBar).toContain('skipped (needs probe.job-received)');
    expect(count(html, /class="stop-line"/g)).toBe(1);
  });

  it('escapes every text from the report', () => {
    const report = structuredClone(probeNoJobReport);
    report.checks[0]!.title = '<b onmouseover="x()">T</b>';
    report.timeline[0]!.detail = { note: `"><svg onload=alert(1)>` };
    report.findings[0]!.fix.links = ['javascript:alert(1)'];
    const html = renderHtml(report);
    expect(html).not.toContain('<b onmouseover');
    expect(html).not.toContain('<svg onload');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('&lt;b onmouseover=&quot;x()&quot;&gt;T&lt;/b&gt;');
  });

  it('picks round axis steps', () => {
    expect([0.3, 7, 830, 1400, 4999].map(niceStep)).toEqual([0.5, 10, 1000, 2000, 5000]);
  });
});
