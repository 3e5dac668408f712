import { describe, expect, it } from 'vitest';
import { renderTerminal, STATUS_GLYPH } from '../../src/report/render-terminal.js';
import { findingsAgentReport, healthyReport, probeNoJobReport, skipsAndErrorReport } from './fixtures/reports.js';

const plain = { color: false, verbose: false };
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

describe('renderTerminal', () => {
  it('ends with the exact count line, adding warnings and errors only when there are some', () => {
    expect(lastLine(renderTerminal(healthyReport, plain))).toBe('9 passed, 0 failed, 0 skipped');
    expect(lastLine(renderTerminal(probeNoJobReport, plain))).toBe('6 passed, 1 failed, 2 skipped');
    expect(lastLine(renderTerminal(skipsAndErrorReport, plain))).toBe('1 passed, 0 failed, 2 skipped, 1 warning, 1 error');
    expect(lastLine(renderTerminal(findingsAgentReport, plain))).toBe('11 passed, 1 failed, 0 skipped, 1 warning');
  });

  it('starts one line per check with a glyph that stays distinct without colour', () => {
    const glyphs = Object.values(STATUS_GLYPH);
    expect(new Set(glyphs).size).toBe(glyphs.length);
    const text = renderTerminal(skipsAndErrorReport, plain);
    const checkLines = text.split('\n').filter((l) => /^(✔|✘|!|–)/.test(l));
    expect(checkLines.map((l) => l.split(' ')[0])).toEqual(['✔', '!', '✘!', '–', '–']);
    for (const check of skipsAndErrorReport.checks) expect(checkLines.some((l) => l.includes(check.title))).toBe(true);
  });

  it('puts cause and fix (text, commands, links) indented under a failing line', () => {
    const lines = renderTerminal(probeNoJobReport, plain).split('\n');
    const at = lines.findIndex((l) => l.startsWith('✘  Job request reaches the probe — No job request within 5 s'));
    expect(at).toBeGreaterThan(0);
    const under = lines.slice(at + 1, at + 6);
    expect(under.every((l) => l.startsWith('     '))).toBe(true);
    expect(under.join('\n')).toContain('cause: dispatch-not-delivered');
    expect(under.join('\n')).toContain('fix: The server stored the dispatch');
    expect(under.join('\n')).toContain('$ lk dispatch list livekit-doctor-m2p7');
    expect(under.join('\n')).toContain('→ https://docs.livekit.io/agents/server/agent-dispatch/');
  });

  it('says which check a skipped one needed', () => {
    const text = renderTerminal(probeNoJobReport, plain);
    expect(text).toContain('–  Job is assigned to the probe — skipped, needs “Job request reaches the probe” (probe.job-received)');
  });

  it('ranks findings and prints the conclusion before the count line', () => {
    const text = renderTerminal(findingsAgentReport, plain);
    const first = text.indexOf('1. Another worker named "my-agent" took the job');
    const second = text.indexOf('2. The agent that joined says nothing');
    expect(text.indexOf('Findings')).toBeGreaterThan(0);
    expect(first).toBeGreaterThan(text.indexOf('Findings'));
    expect(second).toBeGreaterThan(first);
    expect(text.indexOf(findingsAgentReport.conclusion)).toBeGreaterThan(second);
    expect(text.indexOf('11 passed')).toBeGreaterThan(text.indexOf(findingsAgentReport.conclusion));
  });

  it('shows evidence and durations only when verbose', () => {
    const quiet = renderTerminal(healthyReport, plain);
    const verbose = renderTerminal(healthyReport, { color: false, verbose: true });
    expect(quiet).not.toContain('workerId: AW_probe01');
    expect(quiet).not.toContain('(212 ms)');
    expect(verbose).toContain('workerId: AW_probe01');
    expect(verbose).toContain('Probe joins the room — Joined as agent-AJ_j1 in 212 ms (212 ms)');
  });

  it('uses ANSI colour only when asked', () => {
    expect(renderTerminal(probeNoJobReport, plain)).not.toMatch(/\u001b\[/);
    const coloured = renderTerminal(probeNoJobReport, { color: true, verbose: false });
    expect(coloured).toMatch(/\u001b\[31m/);
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(renderTerminal(probeNoJobReport, plain));
  });
});
