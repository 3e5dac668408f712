import { assessRuleAgents } from '../support/sip-assess.js';
import { fail, pass, warn, type Check } from '../check.js';

export const sipRuleAgents: Check = {
  id: 'sip.rule-agents',
  title: 'Each dispatch rule dispatches your agent (names compared byte for byte)',
  needs: ['sip.listed'],
  appliesTo: (o) => !!o.sip,
  deadlineMs: 1_000,
  async run(ctx) {
    const { rules } = ctx.facts.sip!;
    const agentName = ctx.options.agentName;
    const problems = assessRuleAgents(rules, agentName);
    const evidence = { agentName, problems, rules: rules.map((r) => ({ id: r.id, name: r.name, agents: r.agents.map((a) => a.agentName) })) };
    const first = problems.find((p) => p.severity === 'fail') ?? problems[0];
    if (!first) {
      const named = agentName ? `every rule dispatches "${agentName}"` : `${rules.filter((r) => r.agents.length).length} of ${rules.length} rules dispatch a named agent; the others get automatic dispatch (unnamed agents only); give --agent to compare names`;
      return pass(named, { evidence });
    }
    const outcome = first.severity === 'fail' ? fail : warn;
    return outcome(problems.length > 1 ? `${first.message} (and ${problems.length - 1} more)` : first.message, {
      cause: first.cause,
      details: problems.slice(1).map((p) => p.message).concat(first.differences?.slice(1) ?? []),
      evidence,
      fix: first.fix,
    });
  },
};
