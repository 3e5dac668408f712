/**
 * The one Report object. Every renderer (terminal, json, junit, github, markdown, html, bundle)
 * is a pure function of it. Everything in here is already redacted: no secret, no full JWT.
 */
export const REPORT_SCHEMA = 'livekit-doctor/report@1';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip' | 'error';

export interface Remedy {
  /** What to do, in words. */
  text: string;
  /** Commands the user can paste. */
  commands?: string[];
  /** Documentation links. */
  links?: string[];
}

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  /** One line: what was measured. */
  summary: string;
  /** Extra lines shown under the summary (verbose, markdown, html). */
  details?: string[];
  /** For non-pass results: a stable cause id, e.g. `dispatch-not-delivered`. */
  cause?: string;
  fix?: Remedy;
  /** For `skip`: the check id it needed. */
  skippedBecause?: string;
  /** Ids, timings, server answers. Redacted. */
  evidence?: Record<string, unknown>;
  /** Whether a failure of this check fails the run (exit 1). */
  required: boolean;
  /** Milliseconds since the run started (monotonic clock). */
  startedAtMs: number;
  durationMs: number;
}

export interface Finding {
  /** Stable cause id, e.g. `agent-not-registered`, `another-worker-took-job`. */
  cause: string;
  /** One line naming the likely cause. */
  title: string;
  /** 1 = most likely. */
  rank: number;
  likelihood: 'high' | 'medium' | 'low';
  /** Evidence lines behind this finding. */
  evidence: string[];
  fix: Remedy;
  /** The checks this finding is built from. */
  fromChecks: string[];
}

export interface TimelineEvent {
  /** Milliseconds since the run started (monotonic clock). */
  atMs: number;
  /** Who saw it: the runner, the probe worker, the listener participant, the server API… */
  source: string;
  /** e.g. `socket-open`, `registered`, `availability-request`, `assignment`, `joined`, `check-start`. */
  type: string;
  detail?: Record<string, unknown>;
}

export interface SettingSource {
  /** Masked or plain value as shown to the user (the secret is never shown: `(set)`). */
  shown: string;
  /** Where it came from, e.g. `flag --url`, `env LIVEKIT_URL`, `.env.local:3`, `lk project "dev"`. */
  from: string;
}

export interface ServerFacts {
  version?: string;
  region?: string;
  nodeId?: string;
  /** `Standard` (self-hosted) or `Cloud`. */
  edition?: string;
  protocol?: number;
  agentProtocol?: number;
  /** Local clock minus server clock, ms (positive: local is ahead). */
  clockOffsetMs?: number;
  roundTripMs?: number;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  tool: { name: 'livekit-doctor'; version: string };
  /** UTC ISO time the run started. */
  startedAt: string;
  durationMs: number;
  command: string;
  target: {
    url?: string;
    apiKey?: string;
    agentName?: string;
    settings: Record<string, SettingSource>;
  };
  server: ServerFacts;
  checks: CheckResult[];
  findings: Finding[];
  timeline: TimelineEvent[];
  summary: { passed: number; warned: number; failed: number; skipped: number; errored: number };
  /** What a passing or failing run proves, in words. */
  conclusion: string;
  exitCode: number;
}
