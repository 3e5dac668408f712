/**
 * Evidence-driven waits: `--wait` is the upper bound, and a wait ends the moment a source gives a decisive
 * answer. Each source says which of its answers decide: the server log (a verdict the server does not take
 * back: nobody got the job, or who got it, or that the job ended), the agent endpoint (a name that differs,
 * a worker type that never takes room jobs, health 503), the room (the agent joined), the probe's worker
 * socket (closed: no job can reach a worker that is gone). Anything else (no job
 * listed yet, a log with nothing about this dispatch, an endpoint that does not answer) never ends a wait.
 */
import { assessAgentStatus, type AgentStatusFindingId } from '../../evidence/agent-http.js';
import { classifyServerLog, decideFromLog, type LogDecisionKind } from '../../evidence/server-log.js';
import type { CheckContext } from '../check.js';
import type { CreatedDispatch } from '../facts.js';
import { correlateDispatch } from './server-log-window.js';

export type DecisionSource = 'server-log' | 'agent-http' | 'room' | 'worker-socket';

export interface Decision {
  source: DecisionSource;
  kind: LogDecisionKind;
  /** The source's own cause id (a server-log verdict cause, an agent-endpoint finding id). */
  cause: string;
  summary: string;
  /** The deciding log line (server log). */
  line?: number;
  /** The deciding endpoint (agent endpoint). */
  url?: string;
  /** Run ms when the doctor saw it. */
  atMs: number;
  afterDispatchMs: number;
}

const SOURCE_NAMES: Record<DecisionSource, string> = { 'server-log': 'the server log', 'agent-http': "the agent's endpoint", room: 'the room', 'worker-socket': "the probe's worker socket" };

/** "decided by the server log, line 523, +412 ms after the dispatch" */
export function describeDecision(d: Decision): string {
  const where = d.line !== undefined ? `, line ${d.line}` : d.url ? ` (${d.url})` : '';
  const when = d.afterDispatchMs < 0 ? 'before the dispatch' : `+${Math.round(d.afterDispatchMs)} ms after the dispatch`;
  return `decided by ${SOURCE_NAMES[d.source]}${where}, ${when}`;
}

/** The decision as report evidence, and one timeline event. */
export function recordDecision(ctx: Pick<CheckContext, 'timeline'>, check: string, d: Decision, waitMs: number) {
  ctx.timeline.add('decision', 'decided', { check, source: d.source, kind: d.kind, cause: d.cause, ...(d.line !== undefined ? { line: d.line } : {}), afterDispatchMs: Math.round(d.afterDispatchMs) });
  return { ...d, afterDispatchMs: Math.round(d.afterDispatchMs), text: describeDecision(d), waitMs, savedMs: Math.max(0, Math.round(waitMs - d.afterDispatchMs)) };
}

export type PlainDecision = ReturnType<typeof recordDecision>;

/** The server log, read again (only what it grew by) each time a wait asks. */
export async function serverLogDecision(ctx: CheckContext, d: CreatedDispatch, agentJoined = false): Promise<Decision | undefined> {
  const source = ctx.facts.serverLogSource;
  if (!source) return undefined;
  const log = await source.read().catch(() => undefined);
  if (!log) return undefined;
  const verdicts = classifyServerLog(correlateDispatch(ctx, log.entries, d), { dispatchedName: d.agentName, agentJoined, sinceDispatchMs: ctx.timeline.clock.now() - d.sentAtMs });
  const decided = decideFromLog(verdicts);
  if (!decided) return undefined;
  const atMs = ctx.timeline.clock.now();
  return { source: 'server-log', kind: decided.kind, cause: decided.verdict.cause, summary: decided.verdict.summary, ...(decided.line !== undefined ? { line: decided.line } : {}), atMs, afterDispatchMs: atMs - d.sentAtMs };
}

/** The server log's "the worker reported the job ended" (no agent will join any more), the one log answer that ends a wait for the join. */
export async function jobEndedDecision(ctx: CheckContext, d: CreatedDispatch): Promise<Decision | undefined> {
  const fromLog = await serverLogDecision(ctx, d);
  return fromLog?.kind === 'ended' ? fromLog : undefined;
}

/** What an agent endpoint says that no waiting changes: this worker can never take the dispatched job. */
const DECISIVE_ENDPOINT: AgentStatusFindingId[] = ['agent-name-mismatch', 'agent-unnamed', 'worker-type-not-room', 'deployment-mismatch', 'agent-unhealthy', 'agent-inference-not-ready', 'agent-disconnected'];

/**
 * Decides only when every --agent-http endpoint answered and each one names a reason it cannot take the job
 * (one endpoint that did not answer may be the worker that takes it). Read before the dispatch.
 */
export function agentHttpDecision(ctx: CheckContext, d: CreatedDispatch): Decision | undefined {
  const statuses = ctx.facts.agentHttp?.statuses ?? [];
  if (!statuses.length || statuses.some((s) => !s.reachable)) return undefined;
  const reasons = statuses.map((s) => ({ s, f: assessAgentStatus(s, { dispatchedName: d.agentName }).find((f) => DECISIVE_ENDPOINT.includes(f.id)) }));
  if (reasons.some((r) => !r.f)) return undefined;
  const first = reasons[0]!;
  const atMs = ctx.timeline.clock.now();
  return { source: 'agent-http', kind: 'not-taken', cause: first.f!.id, summary: first.f!.summary, url: first.s.url, atMs, afterDispatchMs: atMs - d.sentAtMs };
}
