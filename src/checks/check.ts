import type { CheckResult, CheckStatus, Remedy } from '../core/model.js';
import type { Timeline } from '../core/timeline.js';
import type { CleanupList } from '../core/cleanup.js';
import type { ResolvedSettings, Connection } from '../config/types.js';
import type { ServerApi } from '../livekit/server-api.js';
import type { RunFacts } from './facts.js';

/** What a check returns; the runner adds id, title, timings and `required`. */
export interface Outcome {
  status: Exclude<CheckStatus, 'skip'> | 'skip';
  summary: string;
  details?: string[];
  cause?: string;
  fix?: Remedy;
  evidence?: Record<string, unknown>;
  skippedBecause?: string;
}

export interface OutcomeExtras {
  details?: string[];
  cause?: string;
  fix?: Remedy;
  evidence?: Record<string, unknown>;
}

export const pass = (summary: string, extras: OutcomeExtras = {}): Outcome => ({ status: 'pass', summary, ...extras });
export const warn = (summary: string, extras: OutcomeExtras = {}): Outcome => ({ status: 'warn', summary, ...extras });
export const fail = (summary: string, extras: OutcomeExtras = {}): Outcome => ({ status: 'fail', summary, ...extras });
/** A check that does not apply to this run (e.g. no --agent given). */
export const notApplicable = (summary: string): Outcome => ({ status: 'skip', summary });

/** Options of `check` that checks read. */
export interface CheckOptions {
  /** The user's real agent (check --agent). */
  agentName?: string;
  /** Name for the probe worker; default unique. */
  probeName?: string;
  /** True when the user chose the probe's name (it may share a pool with real agents). */
  probeNameExplicit?: boolean;
  /** accept (default): join; observe: accept but do not join; reject: answer not available. */
  probeMode?: 'accept' | 'observe' | 'reject';
  /** Delay of the probe's answer, to reproduce a slow request handler. */
  probeAnswerDelayMs?: number;
  /** The worker id the user sees in their agent's log. */
  workerId?: string;
  voice?: boolean;
  voiceInput?: string;
  /** Per-step deadline for waiting on jobs and joins. */
  waitMs: number;
  /** check --token-endpoint: the URL the app's frontend fetches its token from. */
  tokenEndpoint?: string;
  /** check --token-endpoint-body: a JSON body, sent with POST. */
  tokenEndpointBody?: string;
  /** check --token: a token the app handed out (never printed). */
  token?: string;
  /** check --agent-env / --backend-env / --frontend-env: each component's env file. */
  agentEnv?: string;
  backendEnv?: string;
  frontendEnv?: string;
  /** check --room: the user's own room. */
  room?: string;
  /** check --dispatch-room: the room the backend dispatched the agent to. */
  dispatchRoom?: string;
  /** check --dispatched-at: when the backend created its dispatch (Unix ms). */
  dispatchedAtMs?: number;
  /** check --agent-http (repeatable): the agents' own HTTP endpoints (GET / and /worker). */
  agentHttp?: string[];
  /** check --server-log: a livekit-server log file, or `-` for stdin. */
  serverLog?: string;
  /** check --node (repeatable): each cluster node's own address, bypassing the load balancer. */
  nodes?: string[];
  /** check --sip: list SIP dispatch rules and inbound trunks and compare them with the agent. */
  sip?: boolean;
}

export interface CheckContext {
  settings: ResolvedSettings;
  /** Present once `settings.valid` passed. */
  connection?: Connection;
  options: CheckOptions;
  /** Aborts at the check's deadline or on Ctrl-C. */
  signal: AbortSignal;
  /** Aborts on Ctrl-C only: for work several checks share (it outlives the check that started it). */
  runSignal: AbortSignal;
  timeline: Timeline;
  cleanup: CleanupList;
  facts: RunFacts;
  /** The server API for the resolved connection (throws when the settings are unusable). */
  api(): ServerApi;
  /** Verbose log line on stderr. */
  log(message: string): void;
}

export interface Check {
  id: string;
  title: string;
  /** Checks that must pass (or warn) first; otherwise this one is skipped, naming the first that did not. */
  needs: string[];
  /** After this the check is stopped and recorded as `error`. */
  deadlineMs: number | ((ctx: CheckContext) => number);
  /** Whether a fail makes the run fail (exit 1). Default true. */
  required?: boolean;
  /** Checks that must have settled first, whatever their outcome (ordering without a dependency); may depend on the options. */
  after?: string[] | ((options: CheckOptions) => string[]);
  /** Runs after every other check, whatever their outcome, and even after Ctrl-C (cleanup). */
  runsLast?: boolean;
  /** Whether this check belongs in this run at all (e.g. agent checks only with --agent). Default true. */
  appliesTo?(options: CheckOptions): boolean;
  run(ctx: CheckContext): Promise<Outcome>;
}

export type { CheckResult };
