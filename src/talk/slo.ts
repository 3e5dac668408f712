/**
 * `talk --slo "reply.p50<1200ms,thinking.p90<900ms"`: latency objectives over the turns after the warm-up.
 * metric := <thinking|transcript|reply>.<min|p50|p90|p95|max|mean>; values in ms (default) or s.
 */
import { compare, splitSloTerms, SloSyntaxError, type SloOp, type SloVerdict } from '../bench/slo.js';
import type { Summary } from '../bench/stats.js';
import { TALK_METRICS, type TalkMetric } from './types.js';

const STATS = ['min', 'p50', 'p90', 'p95', 'max', 'mean'] as const;
type Stat = (typeof STATS)[number];

export interface TalkSloTerm {
  text: string;
  metric: TalkMetric;
  stat: Stat;
  op: SloOp;
  valueMs: number;
}

export { SloSyntaxError };

export function parseTalkSlo(expression: string): TalkSloTerm[] {
  return splitSloTerms(expression, 'reply.p50<1200ms').map(({ text, name, op, number, unit }) => {
    const [metric, stat] = name.split('.');
    if (!(TALK_METRICS as readonly string[]).includes(metric ?? '') || !stat) throw new SloSyntaxError(`"${text}": unknown metric "${name}"; use ${TALK_METRICS.join('|')}.<stat>, e.g. reply.p50`);
    if (!(STATS as readonly string[]).includes(stat)) throw new SloSyntaxError(`"${text}": unknown statistic "${stat}"; use one of ${STATS.join(', ')}`);
    if (unit !== '' && unit !== 'ms' && unit !== 's') throw new SloSyntaxError(`"${text}": unit "${unit}" is not a time; use ms or s`);
    return { text, metric: metric as TalkMetric, stat: stat as Stat, op, valueMs: unit === 's' ? number * 1000 : number };
  });
}

export function evaluateTalkSlo(terms: readonly TalkSloTerm[], stats: Partial<Record<TalkMetric, Summary>>): SloVerdict[] {
  return terms.map((term) => {
    const actual = stats[term.metric]?.[term.stat];
    const ok = actual !== undefined && compare(actual, term.op, term.valueMs);
    const shown = actual === undefined ? 'no value (no turn got that far)' : `${Math.round(actual)} ms`;
    return { term: term.text, step: 'talk', actual, ok, message: `${term.text} ${ok ? 'met' : 'violated'}: ${term.metric}.${term.stat} = ${shown}${ok ? '' : `, not ${term.op} ${Math.round(term.valueMs)} ms`}` };
  });
}
