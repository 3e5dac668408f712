import { redactDeep } from '../core/redact.js';
import { evaluateSlo, type SloTerm, type SloVerdict } from './slo.js';
import { PUBLISHED_DISPATCH_MS, SELECTION_WINDOW_MS } from './step.js';
import { AGENT_POLL_MS } from './agent-target.js';
import type { RoomCleanup } from './rooms.js';
import { LOSS_TITLES, type BenchTarget, type LossClass, type StepResult } from './types.js';

export const BENCH_SCHEMA = 'livekit-doctor/bench@1';

/** The `bench` result: one object, rendered as terminal text, JSON (`livekit-doctor/bench@1`) or HTML. */
export interface BenchReport {
  schema: typeof BENCH_SCHEMA;
  tool: { name: 'livekit-doctor'; version: string };
  startedAt: string;
  target: { url: string; apiKey: string; kind: BenchTarget; agentName: string; workers: number; workerIds: string[]; loopback: boolean };
  settings: { loop: 'closed' | 'open'; dispatchesPerStep: number; timeoutMs: number; probeAnswerDelayMs?: number };
  method: {
    clockStart: string;
    clock: string;
    percentiles: string;
    selectionWindowMs: number;
    publishedDispatchMs: number;
    agentPollMs?: number;
  };
  steps: StepResult[];
  slo?: { expression: string; ok: boolean; verdicts: SloVerdict[] };
  interrupted: boolean;
  cleanup?: RoomCleanup;
  /** One line per reason the run failed (exit 1), empty when it passed. */
  failures: string[];
  exitCode: number;
}

export interface BenchReportInput {
  version: string;
  startedAt: Date;
  url: string;
  maskedKey: string;
  loopback: boolean;
  target: BenchTarget;
  agentName: string;
  workers: number;
  workerIds: string[];
  loop: 'closed' | 'open';
  dispatchesPerStep: number;
  timeoutMs: number;
  probeAnswerDelayMs?: number;
  steps: StepResult[];
  slo?: { expression: string; terms: SloTerm[] };
  interrupted: boolean;
  cleanup?: RoomCleanup;
}

/**
 * Exit 1 when --slo is violated; without --slo, when any dispatch was lost (a lost job is a user
 * left alone in a room). Interrupted runs exit 130 whatever they measured.
 */
export function buildBenchReport(input: BenchReportInput): BenchReport {
  const verdicts = input.slo ? evaluateSlo(input.slo.terms, input.steps) : undefined;
  const failures: string[] = [];
  if (verdicts) for (const v of verdicts.filter((x) => !x.ok)) failures.push(`SLO ${v.message}`);
  else for (const step of input.steps) if (step.lost.total > 0) failures.push(`${step.label}: ${lossLine(step)}${causeHint(step, input)}`);
  if (input.cleanup?.failed.length) failures.push(`cleanup: ${input.cleanup.failed.length} room(s) could not be deleted: ${input.cleanup.failed.map((f) => f.room).join(', ')}`);
  const exitCode = input.interrupted ? 130 : failures.length ? 1 : 0;
  return redactDeep({
    schema: BENCH_SCHEMA,
    tool: { name: 'livekit-doctor', version: input.version },
    startedAt: input.startedAt.toISOString(),
    target: { url: input.url, apiKey: input.maskedKey, kind: input.target, agentName: input.agentName, workers: input.workers, workerIds: input.workerIds, loopback: input.loopback },
    settings: { loop: input.loop, dispatchesPerStep: input.dispatchesPerStep, timeoutMs: input.timeoutMs, ...(input.probeAnswerDelayMs ? { probeAnswerDelayMs: input.probeAnswerDelayMs } : {}) },
    method: {
      clockStart: 'right before CreateDispatch is sent',
      clock: 'monotonic run clock (ms since the run started), stamped when each message arrives',
      percentiles: 'nearest rank: the value at rank ceil(p/100 × n) of the sorted latencies',
      selectionWindowMs: SELECTION_WINDOW_MS,
      publishedDispatchMs: PUBLISHED_DISPATCH_MS,
      ...(input.target === 'agent' ? { agentPollMs: AGENT_POLL_MS } : {}),
    },
    steps: input.steps,
    ...(input.slo && verdicts ? { slo: { expression: input.slo.expression, ok: verdicts.every((v) => v.ok), verdicts } } : {}),
    interrupted: input.interrupted,
    ...(input.cleanup ? { cleanup: input.cleanup } : {}),
    failures,
    exitCode,
  });
}

/** `3 lost: 2 never offered to any worker, 1 offered, but the answer/assignment timed out`. */
export function lossLine(step: StepResult): string {
  if (step.lost.total === 0) return 'none lost';
  const parts = (Object.entries(step.lost.byClass) as [LossClass, number][]).map(([cls, n]) => `${n} ${LOSS_TITLES[cls]}`);
  return `${step.lost.total} of ${step.offered} lost: ${parts.join(', ')}`;
}

/** When nothing at all got through, the likely cause is not load: say what to run instead. */
function causeHint(step: StepResult, input: BenchReportInput): string {
  if (step.completed > 0 || step.lost.total < step.offered) return '';
  const only = Object.keys(step.lost.byClass);
  if (only.length !== 1) return '';
  if (only[0] === 'no-agent-joined') {
    return ` (no agent joined any dispatch: likely no worker is registered under "${input.agentName}" on this server, or it rejects or crashes on every job; run \`livekit-doctor check --agent ${input.agentName}\`)`;
  }
  if (only[0] === 'never-offered') return ' (no worker received any job request: dispatch does not reach workers under this name; run `livekit-doctor check`)';
  if (only[0] === 'answer-timeout') return ' (every answer came too late: the server drops a job when the answer takes more than about 3 s)';
  return '';
}
