import { compareAgentNames, visible } from '../../evidence/name-diff.js';
import { ruleAgentNames, ruleLabel } from '../support/sip-assess.js';
import { fail, notApplicable, pass, warn, type Check, type CheckContext } from '../check.js';

type Verdict = { name: string; served: boolean | undefined; evidence: string; rules: string[] };

/** "Worker registered" names from the --server-log, when one was given. */
async function loggedNames(ctx: CheckContext): Promise<Set<string>> {
  const source = ctx.facts.serverLogSource;
  if (!source) return new Set();
  try {
    const log = await source.read();
    return new Set(log.entries.filter((e) => e.message === 'worker registered' && typeof e.fields.agentName === 'string').map((e) => e.fields.agentName as string));
  } catch {
    return new Set();
  }
}

export const sipAgentsServed: Check = {
  id: 'sip.agents-served',
  title: 'A worker serves each agent the dispatch rules name',
  needs: ['sip.listed'],
  // What the doctor already measured about the agent: its dispatch, the agent endpoint, the server's log.
  after: ['agent.job-taken', 'agent.joined', 'agent-http.worker', 'server-log.read'],
  appliesTo: (o) => !!o.sip,
  deadlineMs: (ctx) => ctx.settings.timeoutMs + 2_000,
  async run(ctx) {
    const { rules } = ctx.facts.sip!;
    const agentName = ctx.options.agentName;
    // A near-miss of --agent is sip.rule-agents' finding; whether a worker serves the misspelling is moot.
    const names = ruleAgentNames(rules)
      .filter((n) => !agentName || n === agentName || !compareAgentNames(agentName, n).likelySame)
      .slice(0, 20);
    if (!names.length) return notApplicable('no dispatch rule names an agent');
    const logged = await loggedNames(ctx);
    const endpoints = (ctx.facts.agentHttp?.statuses ?? []).filter((s) => s.worker?.agentName !== undefined);
    const observed = ctx.facts.agent;
    const probeJob = ctx.facts.probeJob;
    const verdicts: Verdict[] = names.map((name) => {
      const rulesOf = rules.filter((r) => r.agents.some((a) => a.agentName === name)).map(ruleLabel);
      const base = { name, rules: rulesOf };
      const endpoint = endpoints.find((s) => s.worker!.agentName === name);
      if (name === ctx.options.agentName && observed?.joined) return { ...base, served: true, evidence: `dispatched by the doctor, ${observed.joined.identity} joined` };
      if (endpoint) return { ...base, served: true, evidence: `the agent endpoint ${endpoint.url} reports a worker registered under exactly this name` };
      if (logged.has(name)) return { ...base, served: true, evidence: 'the server log shows a worker registered under exactly this name' };
      if (name === ctx.options.agentName && observed?.jobs.length) return { ...base, served: true, evidence: `a worker took the doctor's job for it (${observed.jobs[0]!.source})` };
      if (name === ctx.options.agentName && ctx.facts.agentDispatch && observed) {
        const control = probeJob ? `, while the doctor's probe got its own job (${probeJob.jobId}): dispatch works, no worker has this name` : '';
        return { ...base, served: false, evidence: `the doctor dispatched it and no worker took the job within ${Math.round(ctx.options.waitMs / 1000)} s${control}` };
      }
      return { ...base, served: undefined, evidence: 'not measured: no dispatch of this name, agent endpoint or server log in this run' };
    });
    const line = (v: Verdict) => `${visible(v.name)} (rule${v.rules.length === 1 ? '' : 's'} ${v.rules.join(', ')}): ${v.evidence}`;
    const unserved = verdicts.filter((v) => v.served === false);
    const unknown = verdicts.filter((v) => v.served === undefined);
    const details = verdicts.map(line);
    const evidence = { verdicts };
    if (unserved.length) {
      return fail(`no worker serves ${unserved.map((v) => visible(v.name)).join(', ')}, which ${unserved.length === 1 ? 'a dispatch rule names' : 'dispatch rules name'}: calls on ${unserved.flatMap((v) => v.rules).join(', ')} get a room the agent never joins`, {
        cause: 'sip-rule-agent-unserved',
        details,
        evidence,
        fix: { text: `start a worker registered as exactly ${unserved.map((v) => visible(v.name)).join(', ')} against this server and project, or name a running agent in the rule's roomConfig.agents` },
      });
    }
    if (unknown.length) {
      return warn(`not verified that a worker serves ${unknown.map((v) => visible(v.name)).join(', ')}${verdicts.length > unknown.length ? `; served: ${verdicts.filter((v) => v.served).map((v) => visible(v.name)).join(', ')}` : ''}`, {
        cause: 'sip-rule-agent-unverified',
        details,
        evidence,
        fix: { text: 'measure it: `livekit-doctor check --sip --agent <name>` dispatches that name and watches a worker take the job; --agent-http <its health URL> or --server-log show its registration' },
      });
    }
    return pass(`a worker serves every agent the rules name: ${verdicts.map((v) => visible(v.name)).join(', ')}`, { details, evidence });
  },
};
