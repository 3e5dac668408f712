/** What the agent's own endpoint says about why it would not take a job. Pure. */
import type { Remedy } from '../../core/model.js';
import { compareAgentNames, type NameComparison } from '../name-diff.js';
import type { AgentStatus } from './fetch.js';
import type { AgentWorkerInfo } from './worker-info.js';

export type AgentStatusFindingId =
  | 'agent-unreachable'
  | 'agent-unhealthy'
  | 'agent-inference-not-ready'
  | 'agent-disconnected'
  | 'worker-info-missing'
  | 'agent-name-mismatch'
  | 'agent-unnamed'
  | 'worker-type-not-room'
  | 'deployment-mismatch'
  | 'agent-load-high';

export interface AgentStatusFinding {
  id: AgentStatusFindingId;
  severity: 'fail' | 'warn';
  summary: string;
  evidence: string[];
  fix: Remedy;
  names?: NameComparison;
}

export interface AssessOptions {
  /** The agent name the backend dispatches to; omitted: no name comparison. */
  dispatchedName?: string;
  /** The deployment the dispatch targets (default ''). */
  deployment?: string;
  /** Load at which production agents stop taking jobs (both SDKs default to 0.7). */
  loadThreshold?: number;
}

export function assessAgentStatus(status: AgentStatus, opts: AssessOptions = {}): AgentStatusFinding[] {
  const { deployment = '', loadThreshold = 0.7 } = opts;
  if (!status.reachable) {
    return [
      {
        id: 'agent-unreachable',
        severity: 'fail',
        summary: `The agent's HTTP endpoint ${status.url} did not answer: ${status.error?.message ?? 'unknown error'}`,
        evidence: status.error ? [`${status.error.cause}: ${status.error.message}`] : [],
        fix: { text: 'Check that the agent process runs and that this is its HTTP port (8081 by default in production; printed at start-up as "Server is listening on port N" in dev).' },
      },
    ];
  }
  const findings: AgentStatusFinding[] = [];
  if (!status.health.ok) {
    const meaning = healthMeaning(status.health.reason);
    findings.push({
      id: meaning.id,
      severity: 'fail',
      summary: `${meaning.title} (HTTP ${status.health.status}: "${status.health.reason ?? 'no reason given'}")`,
      evidence: [`GET / → ${status.health.status} ${JSON.stringify(status.health.reason ?? '')}`],
      fix: meaning.fix,
    });
  }
  const worker = status.worker;
  if (!worker) {
    findings.push({
      id: 'worker-info-missing',
      severity: 'warn',
      summary: `The endpoint does not describe the worker (${status.error?.message ?? 'no /worker answer'}); name, type and load cannot be checked.`,
      evidence: status.error ? [`${status.error.cause}: ${status.error.message}`] : [],
      fix: { text: 'Point at the agent\'s own HTTP port (not a proxy or another service); very old agent SDKs have no /worker endpoint.' },
    });
    return findings;
  }
  const envNote = worker.agentNameIsEnv ? ' (taken from LIVEKIT_AGENT_NAME)' : '';
  const registeredName = effectiveAgentName(worker);
  if (opts.dispatchedName !== undefined && registeredName !== undefined) {
    const names = compareAgentNames(opts.dispatchedName, registeredName);
    if (!names.equal && registeredName === '') {
      findings.push({
        id: 'agent-unnamed',
        severity: 'fail',
        summary: `The agent registered without a name, so it only gets automatic dispatch (new rooms), never a dispatch to "${opts.dispatchedName}".`,
        evidence: [`/worker agent_name = ""${worker.agentName === undefined ? ' (left out: protobuf JSON omits an empty name)' : ''} ; dispatched ${names.shown.expected}`],
        fix: { text: `Set agent_name / agentName (or LIVEKIT_AGENT_NAME) to ${JSON.stringify(opts.dispatchedName)} on the agent.` },
        names,
      });
    } else if (!names.equal) {
      findings.push({
        id: 'agent-name-mismatch',
        severity: 'fail',
        summary: `The agent registered as ${names.shown.registered}${envNote}, but the dispatch names ${names.shown.expected}: ${names.differences[0]}.`,
        evidence: names.differences,
        fix: { text: 'Make the two names byte-for-byte equal; the server compares them exactly (no trimming, no case folding).' },
        names,
      });
    }
  }
  if (worker.workerType && worker.workerType !== 'JT_ROOM') {
    findings.push({
      id: 'worker-type-not-room',
      severity: 'fail',
      summary: `The agent is a ${worker.workerType} worker: it gets a job only when a participant ${worker.workerType === 'JT_PUBLISHER' ? 'publishes a track' : 'joins'}, not when a room is dispatched.`,
      evidence: [`/worker worker_type = ${worker.workerType}`],
      fix: { text: 'Use the room worker type (WorkerType.ROOM / JT_ROOM, the default) unless the agent is meant to wait for a user.' },
    });
  }
  if (worker.deployment !== undefined && worker.deployment !== deployment) {
    findings.push({
      id: 'deployment-mismatch',
      severity: 'fail',
      summary: `The agent registered for deployment "${worker.deployment}", the dispatch targets "${deployment}": the server routes only between equal deployments.`,
      evidence: [`/worker deployment = "${worker.deployment}"`],
      fix: { text: 'Unset LIVEKIT_AGENT_DEPLOYMENT on the agent, or dispatch to the same deployment.' },
    });
  }
  if (worker.workerLoad !== undefined && worker.workerLoad >= loadThreshold) {
    findings.push({
      id: 'agent-load-high',
      severity: 'warn',
      summary: `The agent's load is ${worker.workerLoad.toFixed(2)} (threshold ${loadThreshold}): it reports itself full and will not be offered jobs.`,
      evidence: [`/worker worker_load = ${worker.workerLoad}`, ...(worker.activeJobs !== undefined ? [`active_jobs = ${worker.activeJobs}`] : [])],
      fix: { text: 'Give the agent more CPU or more replicas, or raise load_threshold / loadThreshold; prewarmed processes and model loading raise the load.' },
    });
  }
  return findings;
}

/** What each health reason the agent frameworks send with a 503 means (livekit-agents worker.py, agents-js worker.ts). */
export function healthMeaning(reason: string | undefined): { id: AgentStatusFindingId; title: string; fix: Remedy } {
  if (/inference process not running/i.test(reason ?? '')) {
    return {
      id: 'agent-inference-not-ready',
      title: "The agent's inference process (turn detector, local models) is not running: the worker never got ready, and jobs it accepts find no process",
      fix: {
        text:
          "Ship the model files in the image (run the agent's `download-files` command at build time, as the user that runs the agent, so the runtime cache has them), " +
          'give the container enough CPU and memory to start the inference process, and raise initialize_process_timeout / initializeProcessTimeout (10 s by default) when start-up is slow; the agent log shows "inference executor" errors.',
      },
    };
  }
  // Python says "failed to connect" once it gave up; agents-js says "not connected" while it retries (and then exits).
  const failed = /failed to connect to livekit/i.test(reason ?? '');
  if (failed || /not connected to livekit/i.test(reason ?? '')) {
    return {
      id: 'agent-disconnected',
      title: failed
        ? "The agent lost its connection to LiveKit and gave up reconnecting: it is not registered, so it gets no jobs (its process still runs)"
        : 'The agent is not connected to LiveKit (it is reconnecting, or about to give up and exit): it is not registered, so it gets no jobs',
      fix: {
        text:
          'Restart the agent, and find what dropped its WebSocket to <url>/agent: a server restart or deploy, a proxy or load balancer idle timeout (allow long-lived WebSockets, at least 60 s idle), ' +
          'or a network blip; raise max_retry / maxRetry so the worker keeps reconnecting, and let your orchestrator restart it when GET / answers 503.',
      },
    };
  }
  return {
    id: 'agent-unhealthy',
    title: 'The agent reports itself unhealthy',
    fix: { text: 'The worker is not connected to LiveKit or is shutting down: check its LIVEKIT_URL, key and secret, and its own log for connection errors.' },
  };
}

/**
 * The registered name, also where the endpoint left it out: Python agents answer /worker with protobuf JSON,
 * which omits a field at its default, so a Python worker without a name sends no agent_name at all.
 */
export function effectiveAgentName(worker: AgentWorkerInfo): string | undefined {
  if (worker.agentName !== undefined) return worker.agentName;
  return isProtobufJson(worker) ? '' : undefined;
}

/** A /worker answer written as protobuf JSON (Python livekit-agents): fields at their default are left out. */
export function isProtobufJson(worker: AgentWorkerInfo): boolean {
  return worker.raw.project_type === undefined && (worker.raw.protocol_version !== undefined || worker.raw.worker_type !== undefined);
}

export interface ActiveJobsDelta {
  before?: number;
  after?: number;
  delta?: number;
  /** The agent took a job between the two readings (even if it never joined). */
  rose: boolean;
  summary: string;
}

/** Compare `/worker` readings taken before and after a dispatch. */
export function activeJobsDelta(before: AgentStatus | undefined, after: AgentStatus | undefined): ActiveJobsDelta {
  const b = before?.worker?.activeJobs;
  const a = after?.worker?.activeJobs;
  if (b === undefined || a === undefined) {
    return { ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}), rose: false, summary: 'active_jobs not available before and after: no conclusion' };
  }
  const delta = a - b;
  const summary =
    delta > 0
      ? `active_jobs rose from ${b} to ${a}: the agent took the job`
      : delta === 0
        ? `active_jobs stayed at ${a}: this agent process did not take a job (or it ended already)`
        : `active_jobs fell from ${b} to ${a}: jobs ended meanwhile; no conclusion`;
  return { before: b, after: a, delta, rose: delta > 0, summary };
}
