import type { Connection } from '../config/types.js';
import { redact } from '../core/redact.js';
import type { ServerApi } from '../livekit/server-api.js';
import { Timeline } from '../core/timeline.js';
import { runLoop } from './loop.js';
import { buildStepResult } from './step.js';
import { deleteRooms, type RoomCleanup } from './rooms.js';
import { cleanupCommand } from '../core/cleanup.js';
import type { BenchTarget, DispatchSample, StepPlan, StepResult } from './types.js';
import type { BenchTargetDriver } from './target.js';
import { doctorRoomName, NO_AUTOMATIC_DISPATCH } from '../livekit/names.js';

export interface BenchOptions {
  connection: Connection;
  api: ServerApi;
  target: BenchTarget;
  /** --agent: the user's agent name (target 'agent'). */
  agentName?: string;
  /** Probe workers (target 'probe'). */
  workers: number;
  steps: StepPlan[];
  /** Per dispatch: how long it may take from CreateDispatch to joined. */
  timeoutMs: number;
  /** Probe answers late by this much (to reproduce a slow request handler). */
  probeAnswerDelayMs?: number;
  signal: AbortSignal;
  progress?: (line: string) => void;
}

export interface BenchRun {
  target: BenchTarget;
  agentName: string;
  workerIds: string[];
  timeline: Timeline;
  steps: StepResult[];
  interrupted: boolean;
  /** Deletes every room the run created (bounded concurrency); call once results are shown. */
  cleanup(): Promise<RoomCleanup>;
}

/** Runs each step in turn (never overlapping: overlapping bursts lose jobs server-side) and measures every dispatch. */
export async function runBench(opts: BenchOptions): Promise<BenchRun> {
  const timeline = new Timeline();
  const rooms: string[] = [];
  const driver = await startTarget(opts, timeline);
  const run: BenchRun = {
    target: opts.target,
    agentName: driver.agentName,
    workerIds: driver.workerIds,
    timeline,
    steps: [],
    interrupted: false,
    cleanup: async () => {
      // Workers first (a join in flight is awaited), so that nothing re-creates a room once it is deleted.
      await driver.stop();
      const result = await deleteRooms(opts.api, rooms, opts.connection.timeoutMs);
      if (result.failed.length) opts.progress?.(`could not delete ${result.failed.length} room(s); remove them later with: ${cleanupCommand(result.failed.map((f) => f.room), opts.connection.url)}`);
      return result;
    },
  };
  try {
    for (const plan of opts.steps) {
      if (opts.signal.aborted) break;
      const samples: DispatchSample[] = [];
      const startedAtMs = timeline.clock.now();
      const label = plan.ratePerS !== undefined ? `R=${plan.ratePerS}/s` : `C=${plan.concurrency ?? 1}`;
      opts.progress?.(`${label}: ${plan.dispatches} dispatches to "${driver.agentName}"…`);
      let interruptedAtMs: number | undefined;
      const onAbort = () => (interruptedAtMs = timeline.clock.now());
      opts.signal.addEventListener('abort', onAbort, { once: true });
      await runLoop(plan, (index) => dispatchOne(opts, driver, timeline, rooms, samples, index), opts.signal);
      opts.signal.removeEventListener('abort', onAbort);
      const timing = { startedAtMs, durationMs: timeline.clock.now() - startedAtMs, timeoutMs: opts.timeoutMs, interruptedAtMs };
      const step = buildStepResult(label, plan, timing, samples, opts.target);
      run.steps.push(step);
      opts.progress?.(`${label}: ${step.completed}/${step.offered} completed, ${step.lost.total} lost`);
    }
  } catch (err) {
    await run.cleanup().catch(() => {});
    throw err;
  }
  run.interrupted = opts.signal.aborted;
  return run;
}

async function startTarget(opts: BenchOptions, timeline: Timeline): Promise<BenchTargetDriver> {
  if (opts.target === 'agent') {
    const { agentTarget } = await import('./agent-target.js');
    return agentTarget(opts.api, timeline, opts.agentName!);
  }
  const { startProbeTarget } = await import('./probe-target.js');
  return startProbeTarget(opts.connection, timeline, { workers: opts.workers, timeoutMs: opts.timeoutMs, answerDelayMs: opts.probeAnswerDelayMs, signal: opts.signal });
}

async function dispatchOne(opts: BenchOptions, driver: BenchTargetDriver, timeline: Timeline, rooms: string[], samples: DispatchSample[], index: number): Promise<void> {
  const room = doctorRoomName('bench');
  const purpose = JSON.stringify({ createdBy: 'livekit-doctor', purpose: 'bench' });
  const sample: DispatchSample = { index, room, sentAtMs: 0 };
  try {
    // The room is created first and outside the timing, so that only the dispatch is measured (and a
    // short empty timeout closes it even if cleanup never runs).
    rooms.push(room);
    await opts.api.createRoom(room, { emptyTimeoutS: 120, departureTimeoutS: 10, metadata: purpose, agents: [NO_AUTOMATIC_DISPATCH] });
    if (opts.signal.aborted) return;
    samples.push(sample);
    driver.expect(sample);
    sample.sentAtMs = timeline.clock.now();
    const dispatch = await opts.api.createDispatch(room, driver.agentName, { metadata: purpose });
    sample.answeredAtMs = timeline.clock.now();
    sample.dispatchId = dispatch.id;
    await driver.wait(sample, sample.sentAtMs + opts.timeoutMs, opts.signal);
  } catch (err) {
    sample.error ??= redact((err as Error)?.message ?? String(err));
  }
}
