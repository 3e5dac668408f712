import { describe, expect, it } from 'vitest';
import { histogramBins, histogramText, percentile, summarize } from '../../src/bench/stats.js';
import { evaluateSlo, parseSlo, SloSyntaxError } from '../../src/bench/slo.js';
import { classifyLoss, countLosses } from '../../src/bench/loss.js';
import { buildStepResult } from '../../src/bench/step.js';
import { buildBenchReport } from '../../src/bench/report.js';
import type { DispatchSample } from '../../src/bench/types.js';

describe('percentiles (nearest rank)', () => {
  const oneToHundred = Array.from({ length: 100 }, (_, i) => 100 - i);

  it('picks the value at rank ceil(p/100 × n), whatever the input order', () => {
    expect(percentile(oneToHundred, 50)).toBe(50);
    expect(percentile(oneToHundred, 90)).toBe(90);
    expect(percentile(oneToHundred, 99)).toBe(99);
    expect(percentile(oneToHundred, 100)).toBe(100);
    expect(percentile([5, 1, 3], 50)).toBe(3);
    expect(percentile([10, 20, 30, 40], 50)).toBe(20);
    expect(percentile([10, 20, 30, 40], 51)).toBe(30);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeUndefined();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('summarises with ordered percentiles, ignoring non-finite values', () => {
    const s = summarize([212, 205, 250, 207, 300, 209, Number.NaN])!;
    expect(s).toEqual({ count: 6, min: 205, p50: 209, p90: 300, p95: 300, p99: 300, max: 300, mean: 230.5 });
    const wide = summarize(Array.from({ length: 20 }, (_, i) => 200 + i * i))!;
    expect(wide.p50).toBeLessThanOrEqual(wide.p90);
    expect(wide.p90).toBeLessThan(wide.p95);
    expect(wide.p95).toBeLessThanOrEqual(wide.p99);
    expect(wide.p99).toBe(wide.max);
    expect(summarize([])).toBeUndefined();
  });
});

describe('histogram', () => {
  it('puts every value in exactly one bin with round edges', () => {
    const values = [201, 204, 209, 211, 219, 250, 299];
    const bins = histogramBins(values, 10);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(values.length);
    expect(bins[0]!.from).toBe(200);
    expect(bins.every((b) => b.to - b.from === 10)).toBe(true);
    expect(bins.find((b) => b.from === 200)!.count).toBe(3);
    expect(bins[bins.length - 1]!.count).toBe(1); // 299 lands in the last bin
  });

  it('draws bars proportional to counts, one line per bin', () => {
    const lines = histogramText([100, 100, 100, 100, 120], { maxBins: 2, barWidth: 8 });
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^100–110 ms │█{8} 4$/);
    expect(lines[1]).toMatch(/110–120 ms │ 0$/);
    expect(lines[2]).toMatch(/120–130 ms │█{2} 1$/);
    expect(histogramText([])).toEqual([]);
    expect(histogramText([42, 42])).toEqual(['42–43 ms │██████████████████████████████ 2']);
  });
});

describe('SLO expressions', () => {
  it('parses terms with units and operators', () => {
    const terms = parseSlo(' job.p95<500ms, lost=0 ,join.max<=2s,throughput>=3/s,api.p50 == 20');
    expect(terms.map((t) => [t.text, t.metric, t.op, t.value])).toEqual([
      ['job.p95<500ms', { kind: 'latency', stage: 'job', stat: 'p95' }, '<', 500],
      ['lost=0', { kind: 'lost' }, '=', 0],
      ['join.max<=2s', { kind: 'latency', stage: 'join', stat: 'max' }, '<=', 2000],
      ['throughput>=3/s', { kind: 'throughput' }, '>=', 3],
      ['api.p50 == 20', { kind: 'latency', stage: 'api', stat: 'p50' }, '=', 20],
    ]);
  });

  it.each([
    ['', /empty/],
    ['job.p95<500ms,', /term 2 is empty/],
    ['job.p95<<3', /not <metric><op><value>/],
    ['jobs.p95<3', /unknown stage "jobs"; stages are api, job, assign, join/],
    ['job.p97<3', /unknown statistic "p97"/],
    ['job<3', /unknown metric "job"/],
    ['job.p95<3kg', /unit "kg" is not a time/],
    ['lost<2ms', /lost is a count/],
    ['lost<1.5', /whole number/],
    ['throughput>3ms', /per second/],
    ['job.p95 500', /not <metric><op><value>/],
  ])('rejects %j with a clear message', (expr, message) => {
    expect(() => parseSlo(expr)).toThrow(SloSyntaxError);
    expect(() => parseSlo(expr)).toThrow(message);
  });

  it('evaluates every term on every step and names the failing one', () => {
    const fast = step('C=1', [sample(0, { job: 205, assign: 207, join: 300 }), sample(1, { job: 210, assign: 212, join: 310 })]);
    const slow = step('C=20', [sample(0, { job: 205, assign: 207, join: 300 }), sample(1, { job: 650, assign: 652, join: 800 }), sample(2, {})]);
    const verdicts = evaluateSlo(parseSlo('job.p95<500ms,lost=0'), [fast, slow]);
    expect(verdicts.map((v) => [v.step, v.term, v.ok])).toEqual([
      ['C=1', 'job.p95<500ms', true],
      ['C=1', 'lost=0', true],
      ['C=20', 'job.p95<500ms', false],
      ['C=20', 'lost=0', false],
    ]);
    expect(verdicts[2]!.message).toBe('C=20: job.p95<500ms violated: job.p95 = 650 ms, not < 500 ms');
    expect(verdicts[3]!.actual).toBe(1);
    // A stage nobody reached has no value: that violates the term instead of passing it silently.
    const none = evaluateSlo(parseSlo('join.p50<1s'), [step('C=1', [sample(0, {})])]);
    expect(none[0]!.ok).toBe(false);
    expect(none[0]!.message).toMatch(/no value/);
  });
});

describe('loss classification', () => {
  it('tells never offered, answer/assignment timed out and never joined apart', () => {
    expect(classifyLoss(sample(0, { job: 205, assign: 208, join: 400 }), 'probe')).toBeUndefined();
    expect(classifyLoss(sample(0, {}), 'probe')).toBe('never-offered');
    expect(classifyLoss(sample(0, { job: 205 }), 'probe')).toBe('answer-timeout');
    expect(classifyLoss(sample(0, { job: 205, assign: 208 }), 'probe')).toBe('never-joined');
    expect(classifyLoss({ index: 0, room: 'r', sentAtMs: 0, error: 'refused' }, 'probe')).toBe('dispatch-failed');
    expect(classifyLoss(sample(0, {}), 'agent')).toBe('no-agent-joined');
    expect(classifyLoss(sample(0, { join: 900 }), 'agent')).toBeUndefined();
  });

  it('counts per class; an interrupt makes dispatches still within their deadline unfinished, not lost', () => {
    const samples = [sample(0, {}), sample(1, { job: 205 }), sample(2, { job: 205 }), sample(3, { job: 205, assign: 207, join: 300 })];
    const s = step('C=4', samples);
    expect(s.lost).toEqual({ total: 3, byClass: { 'never-offered': 1, 'answer-timeout': 2 } });
    expect(s.completed).toBe(1);
    expect(s.stages.job!.count).toBe(3);
    expect(s.jobAboveFloor!.p50).toBe(5);
    const late = [sample(0, {}, 0), sample(1, {}, 9_000)];
    const cut = buildStepResult('C=2', { concurrency: 2, dispatches: 2 }, { startedAtMs: 0, durationMs: 9_500, timeoutMs: 5_000, interruptedAtMs: 9_500 }, late, 'probe');
    expect(cut.unfinished).toBe(1);
    expect(cut.lost.total).toBe(1);
    expect(countLosses(late).byClass).toEqual({ 'never-offered': 1 });
  });

  it('exits 1 on any loss without --slo, 0 when clean, and the SLO decides when given', () => {
    const base = { version: '0', startedAt: new Date(0), url: 'ws://127.0.0.1:1', maskedKey: 'APIx…', loopback: true, target: 'probe' as const, agentName: 'p', workers: 1, workerIds: [], loop: 'closed' as const, dispatchesPerStep: 2, timeoutMs: 5000, interrupted: false };
    const lossy = step('C=2', [sample(0, { job: 205, assign: 207, join: 300 }), sample(1, { job: 206 })]);
    const clean = step('C=2', [sample(0, { job: 205, assign: 207, join: 300 })]);
    expect(buildBenchReport({ ...base, steps: [lossy] }).exitCode).toBe(1);
    expect(buildBenchReport({ ...base, steps: [lossy] }).failures[0]).toMatch(/1 offered, but the answer\/assignment timed out/);
    expect(buildBenchReport({ ...base, steps: [clean] }).exitCode).toBe(0);
    expect(buildBenchReport({ ...base, steps: [lossy], slo: { expression: 'job.p95<1s', terms: parseSlo('job.p95<1s') } }).exitCode).toBe(0);
    expect(buildBenchReport({ ...base, steps: [lossy], interrupted: true }).exitCode).toBe(130);
    const none = step('C=2', [sample(0, {}), sample(1, {})], 'agent');
    expect(buildBenchReport({ ...base, target: 'agent', agentName: 'ghost', steps: [none] }).failures[0]).toMatch(/no worker is registered under "ghost"/);
  });
});

function sample(index: number, at: { job?: number; assign?: number; join?: number }, sentAtMs = 1000): DispatchSample {
  const s: DispatchSample = { index, room: `r${index}`, sentAtMs, answeredAtMs: sentAtMs + 3 };
  if (at.job !== undefined) s.jobRequestAtMs = sentAtMs + at.job;
  if (at.assign !== undefined) s.assignedAtMs = sentAtMs + at.assign;
  if (at.join !== undefined) s.joinedAtMs = sentAtMs + at.join;
  return s;
}

function step(label: string, samples: DispatchSample[], target: 'probe' | 'agent' = 'probe') {
  return buildStepResult(label, { concurrency: samples.length, dispatches: samples.length }, { startedAtMs: 0, durationMs: 2000, timeoutMs: 5000 }, samples, target);
}
