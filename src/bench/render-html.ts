import { redact } from '../core/redact.js';
import type { BenchReport } from './report.js';
import { lossLine } from './report.js';
import { stageLatency } from './loss.js';
import { histogramBins } from './stats.js';
import { STAGES, STAGE_TITLES, type Stage, type StepResult } from './types.js';

/** A self-contained page (inline CSS and SVG, no scripts, no external assets) with the distribution and latency over time. */
export function renderBenchHtml(report: BenchReport): string {
  const { target } = report;
  const mainStage: Stage = target.kind === 'agent' ? 'join' : 'job';
  const body = report.steps.map((step) => stepSection(step, report, mainStage)).join('\n');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>livekit-doctor bench: ${esc(target.agentName)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1d2330;max-width:1040px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #d6dae3;padding:3px 8px;text-align:right}th:first-child,td:first-child{text-align:left}
.note{color:#5a6275}.lost{color:#b3261e}.ok{color:#1b7f3b}svg{background:#fafbfd;border:1px solid #e1e4ea;margin:6px 12px 6px 0}
svg text{font:11px system-ui,sans-serif;fill:#5a6275}.charts{display:flex;flex-wrap:wrap}
</style></head><body>
<h1>livekit-doctor bench: ${esc(target.kind === 'probe' ? `${target.workers} probe worker(s) "${target.agentName}"` : `agent "${target.agentName}"`)}</h1>
<p class="note">${esc(target.url)} · started ${esc(report.startedAt)} · times start ${esc(report.method.clockStart)}, on a monotonic clock stamped when each message arrives · percentiles: ${esc(report.method.percentiles)}.
The self-hosted server waits ${report.method.selectionWindowMs} ms (its worker-selection window) before offering a job: the dashed line is that floor. LiveKit publishes dispatch "under ${report.method.publishedDispatchMs} ms".</p>
${body || '<p>No step ran.</p>'}
${report.slo ? `<h2>SLO ${esc(report.slo.expression)}: <span class="${report.slo.ok ? 'ok' : 'lost'}">${report.slo.ok ? 'met' : 'violated'}</span></h2><ul>${report.slo.verdicts.map((v) => `<li class="${v.ok ? 'ok' : 'lost'}">${esc(v.message)}</li>`).join('')}</ul>` : ''}
<p class="${report.exitCode === 0 ? 'ok' : 'lost'}">${report.interrupted ? 'Interrupted: partial results.' : report.failures.length ? `Failed: ${esc(report.failures.join('; '))}` : 'OK'}</p>
</body></html>
`;
  return redact(html);
}

function stepSection(step: StepResult, report: BenchReport, mainStage: Stage): string {
  const rows = STAGES.filter((s) => step.stages[s])
    .map((s) => {
      const x = step.stages[s]!;
      return `<tr><td>${esc(s === 'join' && report.target.kind === 'agent' ? 'agent participant joined' : STAGE_TITLES[s])}</td><td>${x.count}</td>${[x.p50, x.p90, x.p95, x.p99, x.max].map((v) => `<td>${Math.round(v)} ms</td>`).join('')}</tr>`;
    })
    .join('');
  return `<section class="step" data-step="${esc(step.label)}">
<h2>Step ${esc(step.label)}: ${step.offered} dispatches, ${step.completed} joined, ${step.throughputPerS.toFixed(1)} joined/s</h2>
<table><tr><th>from dispatch sent to…</th><th>n</th><th>p50</th><th>p90</th><th>p95</th><th>p99</th><th>max</th></tr>${rows}</table>
<p class="${step.lost.total ? 'lost' : 'note'}">${esc(lossLine(step))}</p>
<div class="charts">${distribution(step, mainStage, report.method.selectionWindowMs)}${timeSeries(step, mainStage, report.method.selectionWindowMs)}</div>
</section>`;
}

const W = 480;
const H = 240;
const PAD = { left: 56, right: 12, top: 22, bottom: 36 };

function distribution(step: StepResult, stage: Stage, floorMs: number): string {
  const values = latencies(step, stage);
  const bins = histogramBins(values, 16);
  if (!bins.length) return `<svg class="distribution" width="${W}" height="${H}"><text x="20" y="40">no ${stage} latencies</text></svg>`;
  // One bin of room left of the floor, so that its dashed line does not hide in the axis.
  const lo = Math.max(0, Math.min(bins[0]!.from, floorMs) - (bins[0]!.to - bins[0]!.from));
  const hi = bins[bins.length - 1]!.to;
  const most = Math.max(...bins.map((b) => b.count));
  const x = (v: number) => PAD.left + ((v - lo) / (hi - lo || 1)) * (W - PAD.left - PAD.right);
  const y = (n: number) => H - PAD.bottom - (n / most) * (H - PAD.top - PAD.bottom);
  const bars = bins
    .map((b) => `<rect class="bin" data-from="${b.from}" data-count="${b.count}" x="${x(b.from).toFixed(1)}" y="${y(b.count).toFixed(1)}" width="${Math.max(1, x(b.to) - x(b.from) - 1).toFixed(1)}" height="${(H - PAD.bottom - y(b.count)).toFixed(1)}" fill="#3867d6"><title>${b.from}–${b.to} ms: ${b.count}</title></rect>`)
    .join('');
  return `<svg class="distribution" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${stage} latency distribution">
<text x="${W / 2}" y="11" text-anchor="middle">${esc(STAGE_TITLES[stage])}: distribution</text>
${axes(lo, hi, most, x, y, 'latency, ms', 'dispatches')}${floorLine(floorMs, x)}${bars}</svg>`;
}

function timeSeries(step: StepResult, stage: Stage, floorMs: number): string {
  const points = step.samples.map((s) => ({ t: (s.sentAtMs - step.startedAtMs) / 1000, v: stageLatency(s, stage), lost: s.lost && !s.unfinished }));
  const measured = points.filter((p) => p.v !== undefined).map((p) => p.v!);
  const hi = Math.max(floorMs * 1.5, ...measured) * 1.05;
  const tMax = Math.max(0.001, ...points.map((p) => p.t));
  const x = (t: number) => PAD.left + (t / tMax) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / hi) * (H - PAD.top - PAD.bottom);
  const dots = points
    .map((p) =>
      p.v !== undefined
        ? `<circle class="point" cx="${x(p.t).toFixed(1)}" cy="${y(p.v).toFixed(1)}" r="3" fill="#3867d6"><title>+${p.t.toFixed(2)} s: ${Math.round(p.v)} ms</title></circle>`
        : p.lost
          ? `<text class="lost-point" x="${x(p.t).toFixed(1)}" y="${PAD.top + 4}" fill="#b3261e" text-anchor="middle">✕<title>+${p.t.toFixed(2)} s: lost</title></text>`
          : '',
    )
    .join('');
  return `<svg class="timeseries" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${stage} latency over time">
<text x="${W / 2}" y="11" text-anchor="middle">${esc(STAGE_TITLES[stage])}: latency over time (✕ lost)</text>
${axes(0, tMax, hi, x, y, 'dispatch sent, s into the step', 'latency, ms', true)}${floorLine(floorMs, undefined, y)}${dots}</svg>`;
}

function axes(lo: number, hi: number, yMax: number, x: (v: number) => number, y: (v: number) => number, xLabel: string, yLabel: string, seconds = false): string {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => lo + f * (hi - lo));
  const yTicks = [0, 0.5, 1].map((f) => f * yMax);
  return [
    `<line x1="${PAD.left}" y1="${H - PAD.bottom}" x2="${W - PAD.right}" y2="${H - PAD.bottom}" stroke="#8a92a6"/>`,
    `<line x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${H - PAD.bottom}" stroke="#8a92a6"/>`,
    ...ticks.map((t) => `<text x="${x(t).toFixed(1)}" y="${H - PAD.bottom + 14}" text-anchor="middle">${seconds ? t.toFixed(1) : Math.round(t)}</text>`),
    ...yTicks.map((v) => `<text x="${PAD.left - 4}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${Math.round(v)}</text>`),
    `<text x="${(W + PAD.left) / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}</text>`,
    `<text x="14" y="${(H - PAD.bottom + PAD.top) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(H - PAD.bottom + PAD.top) / 2})">${esc(yLabel)}</text>`,
  ].join('');
}

function floorLine(floorMs: number, x?: (v: number) => number, y?: (v: number) => number): string {
  if (x) return `<line class="floor" x1="${x(floorMs).toFixed(1)}" y1="${PAD.top}" x2="${x(floorMs).toFixed(1)}" y2="${H - PAD.bottom}" stroke="#e58e26" stroke-dasharray="4 3"><title>${floorMs} ms selection window</title></line>`;
  const yy = y!(floorMs).toFixed(1);
  return `<line class="floor" x1="${PAD.left}" y1="${yy}" x2="${W - PAD.right}" y2="${yy}" stroke="#e58e26" stroke-dasharray="4 3"><title>${floorMs} ms selection window</title></line>`;
}

function latencies(step: StepResult, stage: Stage): number[] {
  return step.samples.map((s) => stageLatency(s, stage)).filter((v): v is number => v !== undefined);
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}
