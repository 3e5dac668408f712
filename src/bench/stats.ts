/**
 * Pure statistics for `bench`. Percentiles use the nearest-rank method: the p-th percentile of n
 * sorted values is the value at rank ceil(p/100 × n) (1-based). Every reported figure is then a
 * latency that one dispatch really had (no interpolation), and p100 is the maximum.
 */
export interface Summary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export const PERCENTILES = ['p50', 'p90', 'p95', 'p99'] as const;

/** Nearest-rank percentile of values already sorted ascending; undefined for an empty list. */
export function percentileOfSorted(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile ${p} is outside 0..100`);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export function percentile(values: readonly number[], p: number): number | undefined {
  return percentileOfSorted([...values].sort((a, b) => a - b), p);
}

/** Count, min, p50/p90/p95/p99, max and mean; undefined when there are no values. */
export function summarize(values: readonly number[]): Summary | undefined {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return undefined;
  const sorted = [...finite].sort((a, b) => a - b);
  const at = (p: number) => round1(percentileOfSorted(sorted, p)!);
  return {
    count: sorted.length,
    min: round1(sorted[0]!),
    p50: at(50),
    p90: at(90),
    p95: at(95),
    p99: at(99),
    max: round1(sorted[sorted.length - 1]!),
    mean: round1(sorted.reduce((s, v) => s + v, 0) / sorted.length),
  };
}

export interface HistogramBin {
  /** Inclusive lower edge, ms. */
  from: number;
  /** Exclusive upper edge, ms (the last bin includes the maximum). */
  to: number;
  count: number;
}

/** Equal-width bins over [min, max], with edges on round numbers; at most `maxBins` bins. */
export function histogramBins(values: readonly number[], maxBins = 10): HistogramBin[] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return [];
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const width = niceWidth((max - min) / Math.max(1, maxBins));
  const start = Math.floor(min / width) * width;
  const binCount = Math.max(1, Math.min(maxBins + 1, Math.floor((max - start) / width) + 1));
  const bins: HistogramBin[] = Array.from({ length: binCount }, (_, i) => ({ from: start + i * width, to: start + (i + 1) * width, count: 0 }));
  for (const v of finite) bins[Math.min(binCount - 1, Math.floor((v - start) / width))]!.count++;
  return bins;
}

/** A small text histogram, one line per bin: `200–210 ms │████████ 12`. */
export function histogramText(values: readonly number[], opts: { maxBins?: number; barWidth?: number; unit?: string } = {}): string[] {
  const bins = histogramBins(values, opts.maxBins ?? 10);
  if (bins.length === 0) return [];
  const barWidth = opts.barWidth ?? 30;
  const unit = opts.unit ?? 'ms';
  const most = Math.max(...bins.map((b) => b.count));
  const labels = bins.map((b) => `${fmt(b.from)}–${fmt(b.to)} ${unit}`);
  const labelWidth = Math.max(...labels.map((l) => l.length));
  return bins.map((b, i) => {
    const length = b.count === 0 ? 0 : Math.max(1, Math.round((b.count / most) * barWidth));
    return `${labels[i]!.padStart(labelWidth)} │${'█'.repeat(length)} ${b.count}`;
  });
}

/** 1, 2, 2.5 or 5 times a power of ten, at least `raw` (and at least 1 ms). */
function niceWidth(raw: number): number {
  if (!(raw > 1)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= raw) return step * power;
  return 10 * power;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

export function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
