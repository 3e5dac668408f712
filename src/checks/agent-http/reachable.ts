import { agentHttpFacts, readAgentEndpoints, sampleActiveJobsAroundDispatch } from '../support/agent-endpoints.js';
import { fail, pass, warn, type Check } from '../check.js';

const PORT_HINT =
  "the agent's HTTP server listens on port 8081 by default in production (Python: port= on AgentServer/WorkerOptions; Node: port in ServerOptions; dev mode picks a free port and logs it)";

export const agentHttpReachable: Check = {
  id: 'agent-http.reachable',
  title: "Your agent's HTTP endpoint (--agent-http) answers",
  needs: [],
  deadlineMs: (ctx) => 2 * ctx.settings.timeoutMs + 2_000,
  appliesTo: (o) => !!o.agentHttp?.length,
  async run(ctx) {
    const state = await readAgentEndpoints(ctx, ctx.options.agentHttp!);
    const source = sampleActiveJobsAroundDispatch(ctx, state);
    if (source) (ctx.facts.jobEvidenceSources ??= []).push(source);
    const lines = state.statuses.map((s) =>
      !s.reachable
        ? `${s.url}: ${s.error?.message ?? 'no answer'}`
        : s.error
          ? `${s.url}: GET / → ${s.health.status}, but ${s.error.message}`
          : `${s.url}: GET / → ${s.health.status}, /worker answered (${s.elapsedMs} ms)`,
    );
    const evidence = { endpoints: state.statuses.map((s) => ({ url: s.url, reachable: s.reachable, health: s.health, error: s.error, elapsedMs: s.elapsedMs, worker: s.worker?.raw })) };
    const unreachable = state.statuses.filter((s) => !s.reachable);
    const partial = state.statuses.filter((s) => s.reachable && s.error);
    if (unreachable.length === state.statuses.length) {
      return fail(lines.join('; '), { cause: unreachable[0]!.error?.cause === 'refused' ? 'agent-http-refused' : 'agent-http-unreachable', fix: { text: `check that the agent process runs on that host and that this is its HTTP port: ${PORT_HINT}` }, evidence });
    }
    if (unreachable.length || partial.length) {
      return warn(lines.join('; '), { cause: 'agent-http-partial', fix: { text: `point --agent-http at each agent process's own HTTP port (not a proxy): ${PORT_HINT}` }, evidence });
    }
    return pass(lines.join('; '), { evidence });
  },
};
