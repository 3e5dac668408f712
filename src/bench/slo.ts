/**
 * Service-level objectives for `bench --slo`, a CI gate: `job.p95<500ms,lost=0`.
 * term   := metric op value
 * metric := <stage>.<stat> (stage api|job|assign|join, stat min|p50|p90|p95|p99|max|mean) | lost | throughput
 * op     := < | <= | > | >= | = | ==
 * value  := a number; latencies take ms (default) or s, throughput takes /s (optional).
 * Every step of a run must meet every term.
 */
import { STAGES, type Stage, type StepResult } from './types.js';
import type { Summary } from './stats.js';

export type SloOp = '<' | '<=' | '>' | '>=' | '=';
const STATS = ['min', 'p50', 'p90', 'p95', 'p99', 'max', 'mean'] as const;
type Stat = (typeof STATS)[number];

export type SloMetric = { kind: 'latency'; stage: Stage; stat: Stat } | { kind: 'lost' } | { kind: 'throughput' };

export interface SloTerm {
  /** The term as written (trimmed). */
  text: string;
  metric: SloMetric;
  op: SloOp;
  /** ms for latencies, a count for lost, per second for throughput. */
  value: number;
}

export class SloSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SloSyntaxError';
  }
}

const TERM = /^([a-z_]+(?:\.[a-z0-9]+)?)\s*(<=|>=|==|<|>|=)\s*([0-9]*\.?[0-9]+)\s*([a-z/%]*)$/i;

/** One `<metric><op><value><unit>` term as written, before its metric is known. */
export interface RawSloTerm {
  text: string;
  name: string;
  op: SloOp;
  number: number;
  unit: string;
}

/** Splits a comma-separated SLO expression into terms (shared by `bench --slo` and `talk --slo`). */
export function splitSloTerms(expression: string, example: string): RawSloTerm[] {
  const parts = expression.split(',').map((p) => p.trim());
  if (parts.every((p) => p === '')) throw new SloSyntaxError(`the SLO expression is empty; example: ${example}`);
  return parts.map((text, i) => {
    if (text === '') throw new SloSyntaxError(`term ${i + 1} is empty (two commas in a row, or a trailing comma) in "${expression}"`);
    const m = TERM.exec(text);
    if (!m) throw new SloSyntaxError(`"${text}" is not <metric><op><value>, e.g. ${example.split(',')[0]}`);
    const [, name, rawOp, number, unit] = m as unknown as [string, string, string, string, string];
    return { text, name: name.toLowerCase(), op: (rawOp === '==' ? '=' : rawOp) as SloOp, number: Number(number), unit: unit.toLowerCase() };
  });
}

export function parseSlo(expression: string): SloTerm[] {
  return splitSloTerms(expression, 'job.p95<500ms,lost=0').map(({ text, name, op, number, unit }) => {
    const metric = parseMetric(name, text);
    return { text, metric, op, value: scale(number, unit, metric, text) };
  });
}

function parseMetric(name: string, text: string): SloMetric {
  if (name === 'lost') return { kind: 'lost' };
  if (name === 'throughput') return { kind: 'throughput' };
  const [stage, stat] = name.split('.');
  if (!stat) throw new SloSyntaxError(`"${text}": unknown metric "${name}"; use <stage>.<stat> (e.g. job.p95), lost or throughput`);
  if (!(STAGES as readonly string[]).includes(stage!)) throw new SloSyntaxError(`"${text}": unknown stage "${stage}"; stages are ${STAGES.join(', ')}`);
  if (!(STATS as readonly string[]).includes(stat)) throw new SloSyntaxError(`"${text}": unknown statistic "${stat}"; use one of ${STATS.join(', ')}`);
  return { kind: 'latency', stage: stage as Stage, stat: stat as Stat };
}

function scale(value: number, unit: string, metric: SloMetric, text: string): number {
  if (metric.kind === 'latency') {
    if (unit === '' || unit === 'ms') return value;
    if (unit === 's') return value * 1000;
    throw new SloSyntaxError(`"${text}": unit "${unit}" is not a time; use ms or s`);
  }
  if (metric.kind === 'throughput') {
    if (unit === '' || unit === '/s') return value;
    throw new SloSyntaxError(`"${text}": throughput is per second; write e.g. throughput>=10/s`);
  }
  if (unit !== '') throw new SloSyntaxError(`"${text}": lost is a count of dispatches and takes no unit`);
  if (!Number.isInteger(value)) throw new SloSyntaxError(`"${text}": lost is a whole number of dispatches`);
  return value;
}

export interface SloVerdict {
  term: string;
  step: string;
  /** Undefined when the step has no value for it (e.g. no dispatch reached that stage). */
  actual?: number;
  ok: boolean;
  /** One line: `C=20: job.p95 = 612 ms, not < 500 ms`. */
  message: string;
}

export function evaluateSlo(terms: readonly SloTerm[], steps: readonly StepResult[]): SloVerdict[] {
  const verdicts: SloVerdict[] = [];
  for (const step of steps) {
    for (const term of terms) {
      const actual = metricValue(term.metric, step);
      const ok = actual !== undefined && compare(actual, term.op, term.value);
      const shown = actual === undefined ? 'no value (no dispatch reached that stage)' : `${format(actual, term.metric)}`;
      const message = `${step.label}: ${term.text} ${ok ? 'met' : 'violated'}: ${metricName(term.metric)} = ${shown}${ok ? '' : `, not ${term.op} ${format(term.value, term.metric)}`}`;
      verdicts.push({ term: term.text, step: step.label, actual, ok, message });
    }
  }
  return verdicts;
}

function metricValue(metric: SloMetric, step: StepResult): number | undefined {
  if (metric.kind === 'lost') return step.lost.total;
  if (metric.kind === 'throughput') return step.throughputPerS;
  const summary: Summary | undefined = step.stages[metric.stage];
  return summary?.[metric.stat];
}

export function compare(a: number, op: SloOp, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '=':
      return a === b;
  }
}

function metricName(metric: SloMetric): string {
  return metric.kind === 'latency' ? `${metric.stage}.${metric.stat}` : metric.kind;
}

function format(value: number, metric: SloMetric): string {
  if (metric.kind === 'latency') return `${Math.round(value)} ms`;
  if (metric.kind === 'throughput') return `${value.toFixed(1)}/s`;
  return String(value);
}
