/**
 * A small fake CheckContext for driving one check's `run()` without a network: a server API with only the
 * methods a test gives (every call recorded; any other method fails loudly), a fake probe worker, and a
 * real Timeline and CleanupList.
 */
import { expect } from 'vitest';
import type { Check, CheckContext, CheckOptions, Outcome } from '../../../src/checks/check.js';
import type { CreatedDispatch, RunFacts } from '../../../src/checks/facts.js';
import { runChecks } from '../../../src/checks/runner.js';
import type { Connection, ResolvedSettings } from '../../../src/config/types.js';
import { CleanupList } from '../../../src/core/cleanup.js';
import type { CheckResult } from '../../../src/core/model.js';
import { Timeline } from '../../../src/core/timeline.js';
import { classifyFailure } from '../../../src/livekit/classify.js';
import { ServerApiError, type DispatchView, type ParticipantView, type ServerApi } from '../../../src/livekit/server-api.js';
import type { JobRecord, JobStage, ProbeWorker, WorkerClosed } from '../../../src/livekit/worker/index.js';

/** The server API methods a check may call; a test fakes the ones it needs. */
export type ApiMethods = Partial<Omit<ServerApi, 'connection'>>;

export interface ApiCall {
  method: string;
  args: unknown[];
}

export interface FakeContext extends CheckContext {
  /** Every server API call, in order. */
  calls: ApiCall[];
  /** What the check logged (verbose lines). */
  logs: string[];
}

export interface FakeContextInit {
  api?: ApiMethods;
  options?: Partial<CheckOptions>;
  facts?: Partial<RunFacts>;
  /** Default: a loopback connection with a 1 s timeout. */
  connection?: Partial<Connection>;
  signal?: AbortSignal;
}

export const CONNECTION: Connection = {
  url: 'ws://127.0.0.1:7880',
  httpUrl: 'http://127.0.0.1:7880',
  wsUrl: 'ws://127.0.0.1:7880',
  apiKey: 'APIfakekey',
  apiSecret: 'SECRETLEAKCANARYfake0123456789abcdef',
  timeoutMs: 1000,
};

export function fakeContext(init: FakeContextInit = {}): FakeContext {
  const calls: ApiCall[] = [];
  const logs: string[] = [];
  const methods = init.api ?? {};
  // Every method is async, as the real one; one the test did not fake rejects, saying so.
  const api = new Proxy({} as ServerApi, {
    get(_, name) {
      if (typeof name !== 'string' || name === 'then') return undefined;
      const fn = (methods as Record<string, ((...args: unknown[]) => unknown) | undefined>)[name];
      return async (...args: unknown[]) => {
        calls.push({ method: name, args });
        if (!fn) throw new Error(`fake server API: ${name} was called but the test did not fake it`);
        return fn(...args);
      };
    },
  });
  const connection = { ...CONNECTION, ...init.connection };
  const settings: ResolvedSettings = { timeoutMs: connection.timeoutMs, filesRead: [], problems: [] };
  return {
    settings,
    connection,
    options: { waitMs: 1000, ...init.options },
    signal: init.signal ?? new AbortController().signal,
    runSignal: new AbortController().signal,
    timeline: new Timeline(),
    cleanup: new CleanupList(),
    facts: { server: {}, createdRooms: [], ...init.facts },
    api: () => api,
    log: (line) => logs.push(line),
    calls,
    logs,
  };
}

/** A classified server failure as the API adapter throws it, from what the SDK would have thrown. */
export function apiError(operation: string, thrown: unknown): ServerApiError {
  return new ServerApiError(classifyFailure(thrown, operation));
}

/** The check through the real runner (deadline, crash isolation): for the error paths. */
export async function runThroughRunner(check: Check, ctx: FakeContext): Promise<CheckResult> {
  const { signal: _signal, calls: _calls, logs: _logs, ...base } = ctx;
  const [result] = await runChecks([check], base, new AbortController().signal);
  return result ?? expect.fail('the runner returned no result');
}

/** Narrows an outcome's evidence for assertions. */
export function evidenceOf(outcome: Outcome): Record<string, unknown> {
  return outcome.evidence ?? expect.fail(`no evidence in: ${outcome.summary}`);
}

export function job(overrides: Partial<JobRecord> = {}): JobRecord {
  return {
    jobId: 'AJ_fake1',
    dispatchId: 'AD_fake1',
    room: 'livekit-doctor-fake',
    agentName: 'livekit-doctor-probe-fake',
    metadata: '',
    jobType: 'JT_ROOM',
    participantIdentity: 'livekit-doctor-probe-AJ_fake1',
    accepted: true,
    requestAtMs: 500,
    answeredAtMs: 502,
    ...overrides,
  };
}

export function dispatch(overrides: Partial<CreatedDispatch> = {}): CreatedDispatch {
  return { room: 'livekit-doctor-fake', dispatchId: 'AD_fake1', agentName: 'livekit-doctor-probe-fake', sentAtMs: 100, answeredAtMs: 110, ...overrides };
}

export function participant(overrides: Partial<ParticipantView> = {}): ParticipantView {
  const kind = overrides.kind ?? 'AGENT';
  return {
    identity: 'agent-AJ_fake1',
    name: '',
    sid: 'PA_fake1',
    kind,
    state: 'ACTIVE',
    isAgent: kind === 'AGENT',
    agentName: kind === 'AGENT' ? 'my-agent' : undefined,
    attributes: {},
    tracks: [],
    joinedAtMs: 0,
    ...overrides,
  };
}

export function dispatchView(overrides: Partial<DispatchView> = {}): DispatchView {
  return { id: 'AD_fake1', agentName: 'my-agent', room: 'livekit-doctor-fake', metadata: '', jobs: [], ...overrides };
}

export const audioTrack = { sid: 'TR_fake1', type: 'audio', source: 'microphone', muted: false, name: 'agent' };

/**
 * The part of ProbeWorker the probe checks use after registration. Waits do not wait: a job or stage the
 * test queued is there at once, anything else is "the deadline passed" (undefined). Each wait is recorded.
 */
export class FakeProbeWorker {
  readonly jobs = new Map<string, JobRecord>();
  closed?: WorkerClosed;
  readonly waits: { what: string; timeoutMs?: number }[] = [];
  readonly left: string[] = [];
  private readonly queue: JobRecord[] = [];
  private readonly stages = new Map<string, JobRecord>();

  /** Job requests nextJob hands out, in order. */
  offer(...jobs: JobRecord[]): this {
    for (const j of jobs) {
      this.jobs.set(j.jobId, j);
      this.queue.push(j);
    }
    return this;
  }

  /** The job as waitForStage returns it once it reached `stage`. */
  reach(stage: JobStage, record: JobRecord): this {
    this.jobs.set(record.jobId, record);
    this.stages.set(`${record.jobId}:${stage}`, record);
    return this;
  }

  async nextJob(_signal?: AbortSignal, timeoutMs?: number): Promise<JobRecord | undefined> {
    this.waits.push({ what: 'job', timeoutMs });
    return this.queue.shift();
  }

  async waitForStage(jobId: string, stage: JobStage, _signal?: AbortSignal, timeoutMs?: number): Promise<JobRecord | undefined> {
    this.waits.push({ what: `${jobId}:${stage}`, timeoutMs });
    return this.stages.get(`${jobId}:${stage}`);
  }

  async leaveJob(jobId: string): Promise<void> {
    this.left.push(jobId);
  }

  /** As RunFacts holds it. */
  get asWorker(): ProbeWorker {
    return this as unknown as ProbeWorker;
  }
}
