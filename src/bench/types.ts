import type { Summary } from './stats.js';

/** What a dispatch is measured against: the doctor's probe workers, or the user's real agent. */
export type BenchTarget = 'probe' | 'agent';

/** The stages, each timed from the moment right before CreateDispatch is sent. */
export type Stage = 'api' | 'job' | 'assign' | 'join';
export const STAGES: readonly Stage[] = ['api', 'job', 'assign', 'join'];
export const STAGE_TITLES: Record<Stage, string> = {
  api: 'CreateDispatch answered',
  job: 'job request at worker',
  assign: 'assignment at worker',
  join: 'joined the room',
};

/**
 * never-offered: no worker got a job request. answer-timeout: a worker got the request but no
 * assignment came (the answer was late or lost). never-joined: assigned, but not in the room in time.
 * no-agent-joined (--agent): no agent participant appeared; the worker side is not visible to tell why.
 * dispatch-failed: the CreateDispatch call itself failed.
 */
export type LossClass = 'never-offered' | 'answer-timeout' | 'never-joined' | 'no-agent-joined' | 'dispatch-failed';
export const LOSS_TITLES: Record<LossClass, string> = {
  'never-offered': 'never offered to any worker',
  'answer-timeout': 'offered, but the answer/assignment timed out',
  'never-joined': 'assigned, but never joined',
  'no-agent-joined': 'no agent joined (never offered, rejected, late or crashed)',
  'dispatch-failed': 'CreateDispatch failed',
};

/** One dispatch; every time is run-clock ms (monotonic, stamped when the message arrived). */
export interface DispatchSample {
  index: number;
  room: string;
  dispatchId?: string;
  sentAtMs: number;
  answeredAtMs?: number;
  jobRequestAtMs?: number;
  assignedAtMs?: number;
  joinedAtMs?: number;
  /** The worker that got the job request (probe target). */
  workerId?: string;
  /** The agent participant's identity (agent target). */
  participantIdentity?: string;
  /** One redacted line when a call failed. */
  error?: string;
  /** Set by classification; absent when the dispatch completed. */
  lost?: LossClass;
  /** True when the run was interrupted before this dispatch finished (not counted as lost). */
  unfinished?: boolean;
}

export interface StepPlan {
  /** Closed loop: dispatches in flight. */
  concurrency?: number;
  /** Open loop: dispatches started per second. */
  ratePerS?: number;
  dispatches: number;
}

export interface StepResult {
  label: string;
  plan: StepPlan;
  startedAtMs: number;
  durationMs: number;
  offered: number;
  completed: number;
  /** Completed dispatches per second of step wall time. */
  throughputPerS: number;
  stages: Partial<Record<Stage, Summary>>;
  /** Job-request latency minus the server's selection window (probe target). */
  jobAboveFloor?: Summary;
  lost: { total: number; byClass: Partial<Record<LossClass, number>> };
  unfinished: number;
  samples: DispatchSample[];
}
