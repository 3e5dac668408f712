import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, renderGithubAnnotations, renderGithubSummary } from '../../src/report/render-github.js';
import { findingsAgentReport, healthyReport, probeNoJobReport, skipsAndErrorReport } from './fixtures/reports.js';

/** Reverses the runner's encoding, as GitHub does when it reads a workflow command. */
const unescape = (value: string) => value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

function parseCommands(text: string) {
  return text
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const match = /^::(error|warning|notice) title=([^:]*)::(.*)$/.exec(line);
      expect(match, line).not.toBeNull();
      return { level: match![1], title: unescape(match![2]!), message: unescape(match![3]!) };
    });
}

describe('renderGithubAnnotations', () => {
  it('prints nothing for a healthy run', () => {
    expect(renderGithubAnnotations(healthyReport)).toBe('');
  });

  it('annotates a failed check as an error with cause and fix, one command per line', () => {
    const commands = parseCommands(renderGithubAnnotations(probeNoJobReport));
    const errors = commands.filter((c) => c.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.title).toBe('livekit-doctor: Job request reaches the probe');
    expect(errors[0]!.message.split('\n')).toEqual([
      'No job request within 5 s',
      'cause: dispatch-not-delivered',
      expect.stringMatching(/^fix: The server stored the dispatch/),
      '$ lk dispatch list livekit-doctor-m2p7',
      'https://docs.livekit.io/agents/server/agent-dispatch/',
    ]);
    expect(commands.find((c) => c.level === 'notice')!.message).toContain('The server never offered the job to a worker');
  });

  it('makes warnings errors only with strict', () => {
    const relaxed = parseCommands(renderGithubAnnotations(skipsAndErrorReport));
    expect(relaxed.map((c) => c.level)).toEqual(['warning', 'error']);
    const strict = parseCommands(renderGithubAnnotations(skipsAndErrorReport, { strict: true }));
    expect(strict.map((c) => c.level)).toEqual(['error', 'error']);
  });

  it('escapes %, CR and LF in messages, and also : and , in titles', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a: b, c%')).toBe('a%3A b%2C c%25');
    const report = structuredClone(probeNoJobReport);
    report.checks[5]!.title = 'Job: request, 50%';
    report.checks[5]!.summary = 'line one\r\nline two ::error::fake';
    const text = renderGithubAnnotations(report);
    const errorLines = text.split('\n').filter((l) => l.startsWith('::error'));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain('title=livekit-doctor%3A Job%3A request%2C 50%25::');
    expect(errorLines[0]).toContain('line one%0D%0Aline two ::error::fake');
    expect(parseCommands(errorLines[0]!)[0]!.message.startsWith('line one\r\nline two')).toBe(true);
  });
});

describe('renderGithubSummary', () => {
  it('has a headline with the counts, the checklist table and the findings', () => {
    const md = renderGithubSummary(findingsAgentReport);
    expect(md.split('\n')[0]).toBe('### ❌ livekit-doctor: 11 passed, 1 failed, 0 skipped, 1 warning');
    for (const check of findingsAgentReport.checks) expect(md).toContain(check.title);
    expect(md).toContain('#### Findings');
    expect(md).toContain('1. **Another worker named "my-agent" took the job**');
    expect(renderGithubSummary(healthyReport).split('\n')[0]).toBe('### ✅ livekit-doctor: 9 passed, 0 failed, 0 skipped');
  });
});
