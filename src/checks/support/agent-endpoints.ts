import { fetchAgentStatus, activeJobsDelta, type ActiveJobsWatch, type AgentStatus } from '../../evidence/agent-http.js';
import type { CheckContext } from '../check.js';
import type { AgentHttpFacts, JobEvidence, JobEvidenceSource, RunFacts } from '../facts.js';

const SAMPLE_EVERY_MS = 150;

/** An endpoint that stopped answering while it was sampled (a frozen or stopped process), and when it came back. */
export interface EndpointStall {
  url: string;
  /** Run ms of the first sample that got no answer in time. */
  fromMs: number;
  /** Run ms of the first answer after it; absent while it still does not answer. */
  recoveredAtMs?: number;
}

const stallsByRun = new WeakMap<RunFacts, EndpointStall[]>();

export function endpointStalls(facts: RunFacts): EndpointStall[] {
  return stallsByRun.get(facts) ?? [];
}

export function agentHttpFacts(facts: RunFacts): AgentHttpFacts | undefined {
  return facts.agentHttp;
}

/** The endpoints that answered /worker, for the checks after agent-http.reachable. */
export function answeredWorkers(facts: RunFacts) {
  return (agentHttpFacts(facts)?.statuses ?? []).filter((s) => s.reachable);
}

export async function readAgentEndpoints(ctx: CheckContext, urls: string[]): Promise<AgentHttpFacts> {
  const statuses = await Promise.all(urls.map((url) => fetchAgentStatus(url, { timeoutMs: ctx.settings.timeoutMs, signal: ctx.signal })));
  const state: AgentHttpFacts = { statuses };
  ctx.facts.agentHttp = state;
  return state;
}

/**
 * A job lives only as long as the agent's session: one that crashes before joining is counted in
 * `active_jobs` for a moment. So /worker is sampled every 150 ms from the agent's dispatch until
 * agent.job-taken asks (bounded by count and by the cleanup), and the highest reading counts.
 */
export function sampleActiveJobsAroundDispatch(ctx: CheckContext, state: AgentHttpFacts): JobEvidenceSource | undefined {
  const endpoints = state.statuses.filter((s) => s.worker).map(withActiveJobs);
  const agentName = ctx.options.agentName;
  if (!endpoints.length || agentName === undefined) return undefined;
  const highest = new Map<string, AgentStatus>();
  const stalls: EndpointStall[] = [];
  stallsByRun.set(ctx.facts, stalls);
  const noteAnswer = (url: string, status: AgentStatus) => {
    const open = stalls.find((x) => x.url === url && x.recoveredAtMs === undefined);
    if (!status.reachable && status.error?.cause === 'timeout') {
      if (!open) stalls.push({ url, fromMs: ctx.timeline.clock.now() - status.elapsedMs });
    } else if (status.reachable && open) {
      open.recoveredAtMs = ctx.timeline.clock.now();
      ctx.timeline.add('agent-http', 'endpoint-recovered', { url, stalledMs: Math.round(open.recoveredAtMs - open.fromMs) });
    }
  };
  let timer: NodeJS.Timeout | undefined;
  let samplesLeft = Math.ceil((2 * ctx.options.waitMs + 10_000) / SAMPLE_EVERY_MS);
  let inFlight: Promise<unknown> | undefined;
  const sampleOnce = () =>
    (inFlight ??= Promise.all(
      endpoints.map(async (before) => {
        const now = withActiveJobs(await fetchAgentStatus(before.url, { timeoutMs: Math.min(ctx.settings.timeoutMs, 2_000) }));
        noteAnswer(before.url, now);
        const best = highest.get(before.url);
        if ((now.worker?.activeJobs ?? -1) > (best?.worker?.activeJobs ?? -1)) highest.set(before.url, now);
      }),
    ).finally(() => (inFlight = undefined)));
  const stop = () => {
    clearInterval(timer);
    timer = undefined;
    unsubscribe();
  };
  const unsubscribe = ctx.timeline.onEvent((e) => {
    if (e.type !== 'dispatch-sent' || e.detail?.agentName !== agentName || timer) return;
    void sampleOnce();
    timer = setInterval(() => {
      if (--samplesLeft <= 0) return stop();
      void sampleOnce();
    }, SAMPLE_EVERY_MS);
    timer.unref();
  });
  ctx.cleanup.add('stop sampling the agent endpoints', async () => stop());
  return async () => {
    stop();
    await inFlight;
    await sampleOnce();
    const found: JobEvidence[] = [];
    for (const before of endpoints) {
      const delta = activeJobsDelta(before, highest.get(before.url));
      ctx.timeline.add('agent-http', 'active-jobs', { url: before.url, before: delta.before, after: delta.after });
      if (delta.rose) found.push({ source: 'agent-http', status: `${before.url}: ${delta.summary}`, atMs: ctx.timeline.clock.now() });
    }
    return found;
  };
}

/** Python agents answer /worker with protobuf JSON, which leaves out fields at their default: no active_jobs means 0. */
export function withActiveJobs(status: AgentStatus): AgentStatus {
  if (!status.worker || status.worker.activeJobs !== undefined) return status;
  return { ...status, worker: { ...status.worker, activeJobs: 0 } };
}

/**
 * `active_jobs` of each endpoint, read on every poll of agent.joined's wait (one read in flight at a time, so
 * the count is bounded by the wait's polls): whether the accepted job ever reached a job process.
 */
export function watchActiveJobs(ctx: CheckContext): { sample(): void; finish(): Promise<ActiveJobsWatch[]> } | undefined {
  const endpoints = answeredWorkers(ctx.facts).filter((s) => s.worker).map(withActiveJobs);
  if (!endpoints.length) return undefined;
  const watches: ActiveJobsWatch[] = endpoints.map((s) => ({ url: s.url, before: s.worker!.activeJobs, readings: 0 }));
  let inFlight: Promise<unknown> | undefined;
  const readAll = () =>
    (inFlight ??= Promise.all(
      watches.map(async (w) => {
        const now = withActiveJobs(await fetchAgentStatus(w.url, { timeoutMs: Math.min(ctx.settings.timeoutMs, 2_000), signal: ctx.signal }));
        const count = now.worker?.activeJobs;
        if (count === undefined) return;
        const atMs = ctx.timeline.clock.now();
        w.readings++;
        w.highest = Math.max(w.highest ?? count, count);
        w.last = count;
        w.fromMs ??= atMs;
        w.toMs = atMs;
      }),
    )
      .catch(() => undefined)
      .finally(() => (inFlight = undefined)));
  return {
    sample: () => void readAll(),
    finish: async () => {
      await inFlight;
      await readAll();
      return watches;
    },
  };
}
