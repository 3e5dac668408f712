import type { Remedy } from '../core/model.js';
import type { FindingInputs, FindingRule } from './inputs.js';
import type { PlainServerLogVerdict } from '../checks/server-log/verdict.js';
import { FIXES } from '../evidence/server-log/fixes.js';
import { describeActiveJobsWatch, jobNeverReachedAProcess, type ActiveJobsWatch } from '../evidence/agent-http.js';

/**
 * Findings from outside evidence: the server's own log, then the agent's HTTP endpoint. They are
 * registered before the timing rules of agent-findings.ts (which imports this module), so at equal
 * likelihood they rank first: server log > agent endpoint > timing inference. A timing finding that
 * says the same as an evidence finding is dropped, one that says otherwise is demoted (see there).
 */

type Source = 'server-log' | 'agent-http';
export interface StrongerEvidence {
  cause: string;
  source: Source;
}

const LOG_CAUSE_TO_FINDING: Record<string, string> = {
  'assigned-not-joined': 'agent-crashed-before-join',
  'answer-timeout': 'answer-timeout',
  'job-rejected': 'job-rejected',
  'worker-full': 'worker-full',
  'no-capacity': 'worker-full',
  'job-request-failed': 'job-request-failed',
};

const HTTP_CHECKS = ['agent-http.name', 'agent-http.worker', 'agent-http.healthy'] as const;
const HTTP_CAUSE_TO_FINDING: Record<string, string> = { 'agent-load-high': 'worker-full' };

function logVerdict(r: FindingInputs): PlainServerLogVerdict | undefined {
  const c = r.get('server-log.verdict');
  if (c?.status !== 'fail') return undefined;
  return (c.evidence?.verdicts as PlainServerLogVerdict[] | undefined)?.[0];
}

function logFindingCause(v: PlainServerLogVerdict, r?: FindingInputs): string | undefined {
  // The name was registered and its worker left: the same cause the endpoint names with 503 "… connect… livekit".
  if (v.cause === 'no-worker-for-name' && v.goneWorkers?.length) return 'agent-disconnected';
  if (v.cause === 'assigned-not-joined' && !v.ended && r && jobNeverStarted(r)) return 'job-process-not-ready';
  if (v.cause === 'no-worker-for-name') return v.probableIntent?.length ? 'agent-name-mismatch' : v.unnamedWorkers?.length ? 'agent-unnamed' : 'agent-not-registered';
  if (v.cause === 'answer-timeout' && r && endpointStalled(r)) return 'worker-frozen';
  return LOG_CAUSE_TO_FINDING[v.cause];
}

function activeJobsWatches(r: FindingInputs): ActiveJobsWatch[] {
  return (r.get('agent.joined')?.evidence?.activeJobs as ActiveJobsWatch[] | undefined) ?? [];
}

/**
 * The job was assigned, no agent joined, the worker reported no end, and its endpoint never counted it,
 * neither around the dispatch nor all through the wait for the join: it never reached a job process.
 */
function jobNeverStarted(r: FindingInputs): boolean {
  const sampledRise = ((r.get('agent.job-taken')?.evidence?.jobs as { source: string }[] | undefined) ?? []).some((j) => j.source === 'agent-http');
  return !sampledRise && jobNeverReachedAProcess(activeJobsWatches(r));
}

interface Stall {
  url: string;
  fromMs: number;
  recoveredAtMs?: number;
}

/** The agent endpoint stopped answering while the job was offered (sampled around the dispatch): a frozen process. */
function endpointStalled(r: FindingInputs): Stall[] {
  return (r.get('agent.job-taken')?.evidence?.endpointStalls as Stall[] | undefined) ?? [];
}

function stallLine(stalls: Stall[]): string {
  const s = stalls[0]!;
  return `${s.url} stopped answering (no answer within 2 s) at +${Math.round(s.fromMs)} ms of the run${s.recoveredAtMs !== undefined ? ` and answered again ${((s.recoveredAtMs - s.fromMs) / 1000).toFixed(1)} s later` : ' and had not answered again when the doctor stopped asking'}`;
}

function httpFindingCause(r: FindingInputs, id: (typeof HTTP_CHECKS)[number]): string | undefined {
  const c = r.get(id);
  if (c?.status !== 'fail' || !c.cause) return undefined;
  return HTTP_CAUSE_TO_FINDING[c.cause] ?? c.cause;
}

/** The cause the strongest outside evidence names, if any: what the timing rules defer to. */
export function strongerEvidence(r: FindingInputs): StrongerEvidence | undefined {
  const v = logVerdict(r);
  const fromLog = v && logFindingCause(v, r);
  if (fromLog) return { cause: fromLog, source: 'server-log' };
  for (const id of HTTP_CHECKS) {
    const cause = httpFindingCause(r, id);
    if (cause) return { cause, source: 'agent-http' };
  }
  return undefined;
}

const line = (r: FindingInputs, id: string) => r.line(id);
const defined = (lines: (string | undefined)[]) => lines.filter((l): l is string => !!l);

function withElsewhereHint(fix: Remedy): Remedy {
  return {
    ...fix,
    text: `${fix.text} If your agent runs and logs "registered worker", it registered with another server or project: compare its LIVEKIT_URL and LIVEKIT_API_KEY with the ones used here.`,
  };
}

export const evidenceFindingRules: FindingRule[] = [
  (r) => {
    const v = logVerdict(r);
    const cause = v && logFindingCause(v, r);
    if (!v || !cause) return undefined;
    if (cause === 'worker-frozen') {
      return {
        cause,
        title: `Your worker was offered the job and did not answer within the server's ~3 s while its process stood still: its host froze it (serverless, scale to zero, CPU only during requests)`,
        likelihood: 'high',
        evidence: defined([...v.evidence, stallLine(endpointStalled(r)), line(r, 'agent.job-taken')]),
        fix: FIXES.workerFrozen,
        fromChecks: ['server-log.verdict', 'agent.job-taken'],
      };
    }
    if (cause === 'job-process-not-ready') {
      return {
        cause,
        title: `Your worker ${v.workerId ?? ''} accepted job ${v.jobId ?? ''} but never started it: no job process got ready (prewarm / setup slower than initialize_process_timeout / initializeProcessTimeout, or processes that die while starting), so no agent joined`,
        likelihood: 'high',
        evidence: defined([...v.evidence, ...activeJobsWatches(r).map(describeActiveJobsWatch), line(r, 'agent.joined')]),
        fix: FIXES.jobProcessNotReady(v.jobId ?? '', v.workerId ?? ''),
        fromChecks: ['server-log.verdict', 'agent.joined'],
      };
    }
    // The agent endpoint's line that says the same goes with it (e.g. the name difference, the load).
    const agreeing = HTTP_CHECKS.filter((id) => httpFindingCause(r, id) === cause).map((id) => line(r, id));
    const joined = cause === 'agent-crashed-before-join' ? [line(r, 'agent.job-taken'), line(r, 'agent.joined')] : [];
    // Which names did register on this server: the dispatched one is missing from that list.
    const registered = cause === 'agent-not-registered' ? [line(r, 'server-log.read')] : [];
    // A worker that gave up reconnecting exits (both SDKs): its endpoint going silent is part of the story.
    const endpointGone = cause === 'agent-disconnected' && r.status('agent-http.reachable') === 'fail' ? [line(r, 'agent-http.reachable')] : [];
    return {
      cause,
      title: `The server's log: ${v.summary}`,
      likelihood: 'high',
      evidence: defined([...v.evidence, ...agreeing, ...endpointGone, ...joined, ...registered]),
      fix: cause === 'agent-not-registered' ? withElsewhereHint(v.fix as Remedy) : (v.fix as Remedy),
      // (agent-unnamed: the verdict's own fix names agent_name / agentName.)
      fromChecks: defined(['server-log.verdict', ...HTTP_CHECKS.filter((id) => httpFindingCause(r, id) === cause), ...(endpointGone.length ? ['agent-http.reachable'] : []), ...(joined.length ? ['agent.joined'] : [])]),
    };
  },
  ...HTTP_CHECKS.map(
    (id): FindingRule =>
      (r) => {
        const cause = httpFindingCause(r, id);
        if (!cause) return undefined;
        const v = logVerdict(r);
        if (v && logFindingCause(v) === cause) return undefined; // already in the server log's finding
        const c = r.get(id)!;
        return {
          cause,
          title: `Your agent's endpoint says: ${c.summary}`,
          likelihood: 'high',
          evidence: defined([line(r, id), ...(c.details ?? []), line(r, 'agent.job-taken')]),
          fix: c.fix ?? { text: 'see the check above' },
          fromChecks: [id],
        };
      },
  ),
  (r) => {
    // Without the server log: the endpoint went silent while the job was offered, and no worker took it.
    const stalls = endpointStalled(r);
    if (!stalls.length || r.get('agent.job-taken')?.cause !== 'agent-no-job' || logVerdict(r)) return undefined;
    return {
      cause: 'worker-frozen',
      title: "Your worker's process stood still while the job was offered (its HTTP endpoint stopped answering too) and no worker took the job: its host froze it",
      likelihood: 'high',
      evidence: defined([stallLine(stalls), line(r, 'agent.job-taken')]),
      fix: FIXES.workerFrozen,
      fromChecks: ['agent.job-taken'],
    };
  },
  (r) => {
    const c = r.get('agent-http.reachable');
    if (c?.status !== 'fail') return undefined;
    return {
      cause: 'agent-http-unreachable',
      title: "Your agent's HTTP endpoint does not answer: the agent is not running there, or that is not its port",
      likelihood: 'medium',
      evidence: defined([line(r, 'agent-http.reachable'), line(r, 'agent.job-taken')]),
      fix: c.fix ?? { text: 'check that the agent runs' },
      fromChecks: ['agent-http.reachable'],
    };
  },
];

