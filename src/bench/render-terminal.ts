import type { ChalkInstance } from 'chalk';
import { plainTable } from '../report/table.js';
import { redact } from '../core/redact.js';
import type { BenchReport } from './report.js';
import { lossLine } from './report.js';
import { histogramText } from './stats.js';
import { STAGES, STAGE_TITLES, type StepResult } from './types.js';
import { stageLatency } from './loss.js';

/** The terminal rendering: a table per step, a text histogram, what the figures mean, the verdict. */
export async function renderBenchTerminal(report: BenchReport, c: ChalkInstance): Promise<string> {
  const out: string[] = [];
  const { target, method } = report;
  const who = target.kind === 'probe' ? `${target.workers} probe worker(s) "${target.agentName}"` : `your agent "${target.agentName}"`;
  out.push(c.bold(`livekit-doctor bench: ${who} on ${target.url}`));
  out.push(c.dim(`Times start ${method.clockStart}; ${method.clock}. Percentiles: ${method.percentiles}.`));
  for (const step of report.steps) out.push('', ...(await renderStep(step, report, c)));
  if (report.steps.length === 0) out.push('', 'No step ran.');
  out.push('', ...meaning(report));
  if (report.slo) {
    out.push('', c.bold(`SLO ${report.slo.expression}: ${report.slo.ok ? c.green('met') : c.red('violated')}`));
    for (const v of report.slo.verdicts) out.push(`  ${v.ok ? c.green('✓') : c.red('✗')} ${v.message}`);
  }
  if (report.cleanup) {
    const { deleted, failed } = report.cleanup;
    out.push('', `Cleanup: ${deleted} room(s) deleted (with their dispatches)${failed.length ? c.red(`, ${failed.length} failed: ${failed.map((f) => `${f.room} (${f.error})`).join('; ')}`) : ''}.`);
  }
  if (report.interrupted) out.push('', c.yellow('Interrupted: these are partial results.'));
  else if (report.failures.length) out.push('', c.red(`FAILED (exit 1):`), ...report.failures.map((f) => `  - ${f}`));
  else out.push('', c.green('OK (exit 0)'));
  return redact(out.join('\n'));
}

async function renderStep(step: StepResult, report: BenchReport, c: ChalkInstance): Promise<string[]> {
  const loop = step.plan.ratePerS !== undefined ? `open loop at ${step.plan.ratePerS}/s` : `closed loop, ${step.plan.concurrency ?? 1} in flight`;
  const lines = [
    c.bold(`Step ${step.label}`) +
      `: ${step.offered} dispatches (${loop}) in ${(step.durationMs / 1000).toFixed(1)} s · ${step.completed} joined · ${step.throughputPerS.toFixed(1)} joined/s`,
  ];
  const table = await plainTable(['from dispatch sent to…', 'n', 'p50', 'p90', 'p95', 'p99', 'max']);
  for (const stage of STAGES) {
    const s = step.stages[stage];
    if (!s) continue;
    const title = stage === 'join' && report.target.kind === 'agent' ? 'agent participant joined' : STAGE_TITLES[stage];
    table.push([title, s.count, ...[s.p50, s.p90, s.p95, s.p99, s.max].map(ms)]);
  }
  if (step.jobAboveFloor) {
    const a = step.jobAboveFloor;
    table.push([`job request above the ${report.method.selectionWindowMs} ms window`, a.count, ...[a.p50, a.p90, a.p95, a.p99, a.max].map(ms)]);
  }
  lines.push(table.toString());
  lines.push(step.lost.total ? c.red(`Lost: ${lossLine(step)}`) : 'Lost: none');
  if (step.unfinished) lines.push(c.yellow(`Unfinished (interrupted): ${step.unfinished}`));
  const histogramStage = report.target.kind === 'agent' ? 'join' : 'job';
  const values = step.samples.map((s) => stageLatency(s, histogramStage)).filter((v): v is number => v !== undefined);
  if (values.length) {
    lines.push(c.dim(`${histogramStage === 'job' ? 'Job request' : 'Agent joined'} latency, ms from dispatch sent:`));
    lines.push(...histogramText(values, { maxBins: 8, barWidth: 30 }).map((l) => `  ${l}`));
  }
  return lines;
}

function meaning(report: BenchReport): string[] {
  const { selectionWindowMs: floor, publishedDispatchMs: published } = report.method;
  const lines = ['What the figures mean:'];
  if (report.target.kind === 'probe') {
    const p50s = report.steps.map((s) => s.stages.job?.p50).filter((v): v is number => v !== undefined);
    const best = p50s.length ? Math.min(...p50s) : undefined;
    lines.push(
      `  - Floor: the self-hosted server (v1.13) waits ${floor} ms for workers to claim a job before it picks one (its selection`,
      `    window); no job request arrives sooner. The rest of "job request" is time above that floor: queueing and work.`,
      `  - LiveKit publishes dispatch "under ${published} ms" (LiveKit Cloud).` +
        (best !== undefined ? ` Here the best step's job-request p50 is ${Math.round(best)} ms = ${floor} ms window + ${Math.round(best - floor)} ms above it.` : ''),
      `  - assignment and joined follow the worker's answer; "joined" includes the probe's own WebRTC join (about 200 ms locally).`,
    );
  } else {
    lines.push(
      `  - "agent participant joined" is seen by polling ListParticipants every ${report.method.agentPollMs} ms, placed midway between`,
      `    the last poll without the agent and the first with it (±${(report.method.agentPollMs ?? 0) / 2} ms).`,
      `  - It includes the server's ${floor} ms worker-selection window, your agent's request handler, its process start and its`,
      `    WebRTC join. LiveKit publishes dispatch "under ${published} ms" for the first step only; compare with \`bench\` (no --agent).`,
    );
  }
  return lines;
}

function ms(v: number): string {
  return `${Math.round(v)} ms`;
}
