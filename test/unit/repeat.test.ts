import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CheckResult, CheckStatus, Report } from '../../src/core/model.js';
import { spreadOf, summarizeRuns, worstExitCode, worstRun } from '../../src/report/repeat.js';
import { renderRepeatAnnotations, renderRepeatJunit, renderRepeatMarkdown, renderRepeatTerminal } from '../../src/report/repeat-render.js';
import { parseRepeatPlan } from '../../src/commands/check/repeat.js';
import { healthyReport, probeNoJobReport } from './fixtures/reports.js';

/** A run of three checks with chosen statuses, durations and latencies. */
function run(exitCode: number, spec: { joined?: CheckStatus; cause?: string; jobLatency?: number; joinMs?: number; duration?: number }): Report {
  const check = (id: string, status: CheckStatus, extra: Partial<CheckResult> = {}): CheckResult => ({
    id,
    title: `title of ${id}`,
    status,
    summary: status,
    required: true,
    startedAtMs: 0,
    durationMs: spec.duration ?? 10,
    ...extra,
  });
  const joined = spec.joined ?? 'pass';
  return {
    ...healthyReport,
    exitCode,
    checks: [
      check('server.reachable', 'pass'),
      check('probe.job-received', 'pass', { evidence: { latencyMs: spec.jobLatency ?? 200 } }),
      check('probe.joined', joined, {
        evidence: joined === 'skip' ? undefined : { joinMs: spec.joinMs ?? 300 },
        cause: joined === 'fail' ? spec.cause : undefined,
        skippedBecause: joined === 'skip' ? 'probe.job-assigned' : undefined,
        fix: joined === 'fail' ? { text: 'restart the probe' } : undefined,
        durationMs: joined === 'skip' ? 0 : spec.duration ?? 10,
      }),
    ],
  };
}

describe('spreadOf', () => {
  it('computes min, median, nearest-rank p95 and max, in order', () => {
    expect(spreadOf([])).toBeUndefined();
    expect(spreadOf([5])).toEqual({ samples: 1, min: 5, median: 5, p95: 5, max: 5 });
    expect(spreadOf([4, 1, 3, 2])).toEqual({ samples: 4, min: 1, median: 2.5, p95: 4, max: 4 });
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(spreadOf(hundred)).toEqual({ samples: 100, min: 1, median: 50.5, p95: 95, max: 100 });
    for (let n = 1; n < 40; n++) {
      const s = spreadOf(Array.from({ length: n }, (_, i) => (i * 37) % 11))!;
      expect(s.min).toBeLessThanOrEqual(s.median);
      expect(s.median).toBeLessThanOrEqual(s.p95);
      expect(s.p95).toBeLessThanOrEqual(s.max);
    }
  });
});

describe('summarizeRuns', () => {
  it('pass rate, results, causes and duration spread per check; key latencies from evidence', () => {
    const runs = [
      run(0, { jobLatency: 210, joinMs: 300, duration: 10 }),
      run(1, { joined: 'fail', cause: 'join-timeout', jobLatency: 250, duration: 30 }),
      run(1, { joined: 'skip', jobLatency: 900, duration: 20 }),
    ];
    const summary = summarizeRuns(runs, { requestedRuns: 3, intervalMs: 200 });
    expect(summary).toMatchObject({ requestedRuns: 3, completedRuns: 3, passedRuns: 1, failedRuns: 2, interrupted: false, exitCode: 1, intervalMs: 200 });
    const joined = summary.checks.find((c) => c.id === 'probe.joined')!;
    expect(joined.passRate).toBeCloseTo(1 / 3);
    expect(joined.counts).toEqual({ pass: 1, warn: 0, fail: 1, skip: 1, error: 0 });
    expect(joined.causes).toEqual({ 'join-timeout': 1, 'needs probe.job-assigned': 1 });
    // The skipped run took no time and is not a duration sample.
    expect(joined.durationMs).toEqual({ samples: 2, min: 10, median: 20, p95: 30, max: 30 });
    expect(summary.checks.find((c) => c.id === 'server.reachable')!.passRate).toBe(1);
    const job = summary.latencies.find((l) => l.id === 'probe.job-request')!;
    expect(job).toMatchObject({ fromCheck: 'probe.job-received', spreadMs: { samples: 3, min: 210, median: 250, p95: 900, max: 900 } });
    // Only the passing and the failing join carry a joinMs.
    expect(summary.latencies.find((l) => l.id === 'probe.join')!.spreadMs.samples).toBe(2);
    expect(summary.latencies.find((l) => l.id === 'agent.join')).toBeUndefined();
  });

  it('agent join latency from the agent check when present', () => {
    const withAgent = (ms: number): Report => {
      const r = run(0, {});
      return { ...r, checks: [...r.checks, { ...r.checks[0]!, id: 'token.agent-joined', evidence: { joinMs: 50, agent: { afterJoinMs: ms } } }] };
    };
    const summary = summarizeRuns([withAgent(700), withAgent(900)]);
    expect(summary.latencies.find((l) => l.id === 'agent.join')).toMatchObject({ fromCheck: 'token.agent-joined', spreadMs: { median: 800, max: 900 } });
  });

  it('an interrupted run wins the exit code but stays out of the statistics', () => {
    const runs = [run(0, {}), run(130, { joined: 'skip' })];
    const summary = summarizeRuns(runs, { requestedRuns: 5 });
    expect(summary).toMatchObject({ completedRuns: 1, passedRuns: 1, interrupted: true, exitCode: 130 });
    expect(summary.checks.find((c) => c.id === 'probe.joined')!.passRate).toBe(1);
    const between = summarizeRuns([run(0, {})], { requestedRuns: 5, interruptedWith: 130 });
    expect(between).toMatchObject({ completedRuns: 1, interrupted: true, exitCode: 130 });
    expect(renderRepeatTerminal([run(0, {})], between, { color: false })).toContain('1 of 1 runs passed; interrupted after run 1 of 5');
    expect(worstExitCode([run(1, {}), run(2, {}), run(0, {})])).toBe(2);
    expect(worstExitCode([run(3, {}), run(143, {})])).toBe(143);
    expect(worstExitCode([])).toBe(0);
    const worst = [run(0, {}), run(1, { jobLatency: 1 }), run(1, { jobLatency: 2 })];
    expect(worstRun(worst)).toBe(worst[1]);
  });
});

describe('repeat renderers', () => {
  const runs = [run(0, {}), run(1, { joined: 'fail', cause: 'join-timeout' })];
  const summary = summarizeRuns(runs);

  it('terminal: a row per check with its pass rate, the latency table and the closing line', () => {
    const text = renderRepeatTerminal(runs, summary, { color: false });
    expect(text).toMatch(/probe\.joined\s*│\s*50 %\s*│\s*1 pass, 1 fail\s*│\s*join-timeout ×1/);
    expect(text).toMatch(/server\.reachable\s*│\s*100 %/);
    expect(text).toContain('probe job request after dispatch');
    expect(text).toContain('1 of 2 runs passed; failed: run 2 (exit 1)');
    expect(text).not.toContain('\u001b[');
  });

  it('github: an error annotation for the failing check only, a markdown table', () => {
    const annotations = renderRepeatAnnotations(runs, summary);
    expect(annotations.trim().split('\n')).toHaveLength(1);
    expect(annotations).toMatch(/^::error title=livekit-doctor%3A title of probe\.joined::1 pass, 1 fail in 2 runs \(pass rate 50 %25\)%0Acauses: join-timeout ×1%0Afix: restart the probe$/m);
    expect(renderRepeatAnnotations([runs[0]!], summarizeRuns([runs[0]!]))).toBe('');
    const md = renderRepeatMarkdown(runs, summary);
    expect(md).toContain('### ❌ livekit-doctor: 1 of 2 runs passed');
    expect(md).toContain('| title of probe.joined | 50 % | 1 pass, 1 fail | join-timeout ×1 |');
  });

  it('junit: one valid suite per run, totals on the root', () => {
    const xml = renderRepeatJunit([healthyReport, probeNoJobReport]);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (n) => ['testsuite', 'testcase'].includes(n) }).parse(xml);
    const suites = doc.testsuites.testsuite as Record<string, any>[];
    expect(suites.map((s) => s['@name'])).toEqual(['livekit-doctor run 1/2', 'livekit-doctor run 2/2']);
    expect(suites[0]!.testcase).toHaveLength(healthyReport.checks.length);
    expect(Number(doc.testsuites['@tests'])).toBe(healthyReport.checks.length + probeNoJobReport.checks.length);
    expect(doc.testsuites['@failures']).toBe(suites[1]!['@failures']);
    expect(Number(doc.testsuites['@failures'])).toBeGreaterThan(0);
  });
});

describe('parseRepeatPlan', () => {
  it('accepts 1..1000 and a non-negative interval; refuses the rest as usage errors', () => {
    expect(parseRepeatPlan({})).toBeUndefined();
    expect(parseRepeatPlan({ repeat: '3', interval: '0.2' })).toEqual({ count: 3, intervalMs: 200 });
    expect(parseRepeatPlan({ repeat: '1000' })).toEqual({ count: 1000, intervalMs: 0 });
    for (const bad of [{ repeat: '0' }, { repeat: '1001' }, { repeat: '2.5' }, { repeat: 'x' }, { repeat: '2', interval: '-1' }, { repeat: '2', interval: 'soon' }, { interval: '1' }]) {
      expect(() => parseRepeatPlan(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ exitCode: 2 }));
    }
  });
});
