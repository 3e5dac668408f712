import type { CheckResult, Report, TimelineEvent } from '../core/model.js';

/**
 * The dispatch path, stage by stage, each measured from the end of the one before:
 *  dispatch_api  CreateDispatch sent → the API's answer
 *  job_request   CreateDispatch sent → the probe's job request (includes livekit-server's ~200 ms selection window)
 *  assignment    job request → assignment (the probe's answer and the server's assignment)
 *  joined        assignment → the probe joined the room with the job token
 *  agent_joined  your agent's dispatch sent → its participant joined (with --agent)
 */
export const STAGES = ['dispatch_api', 'job_request', 'assignment', 'joined', 'agent_joined'] as const;
export type Stage = (typeof STAGES)[number];
export const PROBE_STAGES: readonly Stage[] = ['dispatch_api', 'job_request', 'assignment', 'joined'];

const measured = (c: CheckResult | undefined) => c !== undefined && (c.status === 'pass' || c.status === 'warn');

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

function at(events: TimelineEvent[], source: string, type: string, match: Record<string, unknown>): number | undefined {
  return events.find((e) => e.source === source && e.type === type && Object.entries(match).every(([k, v]) => e.detail?.[k] === v))?.atMs;
}

function between(from: number | undefined, to: number | undefined): number | undefined {
  return from !== undefined && to !== undefined && to >= from ? to - from : undefined;
}

/**
 * The stage latencies (ms) of one run, from the checks that passed: the timeline's events (0.1 ms resolution)
 * where they are found for the probe's room and job, else the checks' own evidence (whole ms). A stage whose
 * check did not pass is absent: a failed step is counted by the status metrics, not as a latency.
 */
export function stageLatenciesMs(report: Report): Partial<Record<Stage, number>> {
  const byId = new Map(report.checks.map((c) => [c.id, c]));
  const dispatched = byId.get('probe.dispatched');
  const received = byId.get('probe.job-received');
  const assigned = byId.get('probe.job-assigned');
  const joined = byId.get('probe.joined');
  const agentJoined = byId.get('agent.joined');
  const ev = report.timeline;
  const room = dispatched?.evidence?.room;
  const jobId = received?.evidence?.jobId;
  const sentAt = room !== undefined ? at(ev, 'api', 'dispatch-sent', { room }) : undefined;
  const requestAt = jobId !== undefined ? at(ev, 'probe', 'availability-request', { jobId }) : undefined;
  const assignedAt = jobId !== undefined ? at(ev, 'probe', 'assignment', { jobId }) : undefined;
  const joinedAt = jobId !== undefined ? at(ev, 'probe', 'joined', { jobId }) : undefined;
  const out: Partial<Record<Stage, number>> = {};
  const set = (stage: Stage, value: number | undefined) => {
    if (value !== undefined) out[stage] = value;
  };
  if (measured(dispatched)) set('dispatch_api', between(sentAt, room !== undefined ? at(ev, 'api', 'dispatch-created', { room }) : undefined) ?? num(dispatched!.evidence?.apiMs));
  if (measured(received)) set('job_request', between(sentAt, requestAt) ?? num(received!.evidence?.latencyMs));
  if (measured(assigned)) {
    const fromEvidence = num(assigned!.evidence?.answerMs) !== undefined && num(assigned!.evidence?.assignmentMs) !== undefined ? num(assigned!.evidence?.answerMs)! + num(assigned!.evidence?.assignmentMs)! : undefined;
    set('assignment', between(requestAt, assignedAt) ?? fromEvidence);
  }
  if (measured(joined)) set('joined', between(assignedAt, joinedAt) ?? num(joined!.evidence?.joinMs));
  if (measured(agentJoined)) set('agent_joined', num(agentJoined!.evidence?.joinAfterDispatchMs));
  return out;
}
