import { describe, expect, it } from 'vitest';
import { mdCode, renderMarkdown } from '../../src/report/render-markdown.js';
import { findingsAgentReport, probeNoJobReport } from './fixtures/reports.js';

/** Splits a Markdown table row into cells, honouring `\|`. */
const cells = (row: string) => row.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim());

describe('renderMarkdown', () => {
  it('has a checklist table with one row per check and the same number of columns', () => {
    const md = renderMarkdown(probeNoJobReport);
    const section = md.slice(md.indexOf('## Checks'), md.indexOf('## Findings'));
    const rows = section.split('\n').filter((l) => l.startsWith('|'));
    expect(rows).toHaveLength(2 + probeNoJobReport.checks.length);
    for (const row of rows) expect(cells(row)).toHaveLength(5);
    const failed = rows.find((r) => r.includes('Job request reaches the probe'))!;
    expect(failed).toContain('❌');
    expect(failed).toContain('`lk dispatch list livekit-doctor-m2p7`');
    expect(failed).toContain('<https://docs.livekit.io/agents/server/agent-dispatch/>');
    expect(rows.find((r) => r.includes('Job is assigned to the probe'))).toContain('needs `probe.job-received`');
  });

  it('lists the facts, the ranked findings and the timeline', () => {
    const md = renderMarkdown(findingsAgentReport);
    expect(md).toContain('- **Server version:** 1.13.5');
    expect(md).toContain('- **Region:** local');
    expect(md).toContain('- **Node:** ND_test123');
    expect(md).toContain('- **Agent name:** my-agent');
    expect(md.indexOf('1. **Another worker')).toBeLessThan(md.indexOf('2. **The agent that joined'));
    const timeline = md.slice(md.indexOf('## Timeline')).split('\n').filter((l) => l.startsWith('|'));
    expect(timeline).toHaveLength(2 + findingsAgentReport.timeline.length);
    expect(timeline.at(-1)).toContain('| +1.29 s | 09:26:54.290Z | listener | track-subscribed | kind=audio |');
  });

  it('keeps table cells intact and HTML inert when report text contains pipes, newlines or tags', () => {
    const report = structuredClone(probeNoJobReport);
    report.checks[0]!.summary = 'a | b\nc <script>x</script>';
    report.checks[5]!.fix!.commands = ['grep "a|b" `file`'];
    const md = renderMarkdown(report);
    const rows = md.split('\n').filter((l) => l.startsWith('| ✅') || l.startsWith('| ❌'));
    for (const row of rows) expect(cells(row)).toHaveLength(5);
    expect(md).toContain('a \\| b<br>c &lt;script&gt;x&lt;/script&gt;');
    expect(md).not.toContain('<script>');
    expect(mdCode('grep "a|b" `file`')).toBe('`` grep "a\\|b" `file` ``');
  });
});
