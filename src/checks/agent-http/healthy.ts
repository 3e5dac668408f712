import { healthMeaning } from '../../evidence/agent-http/assess.js';
import { answeredWorkers } from '../support/agent-endpoints.js';
import { fail, pass, type Check } from '../check.js';

export const agentHttpHealthy: Check = {
  id: 'agent-http.healthy',
  title: 'Your agent reports itself healthy (GET /)',
  needs: ['agent-http.reachable'],
  deadlineMs: 1_000,
  appliesTo: (o) => !!o.agentHttp?.length,
  async run(ctx) {
    const answered = answeredWorkers(ctx.facts);
    const sick = answered.filter((s) => !s.health.ok);
    const evidence = { endpoints: answered.map((s) => ({ url: s.url, status: s.health.status, reason: s.health.reason })) };
    if (sick.length) {
      // Each reason the frameworks send has its own cause and fix ("inference process not running", "failed to connect to livekit").
      const meaning = healthMeaning(sick[0]!.health.reason);
      return fail(sick.map((s) => `${s.url} answered HTTP ${s.health.status}: "${s.health.reason ?? 'no reason given'}"`).join('; '), {
        cause: meaning.id,
        details: [meaning.title],
        fix: meaning.fix,
        evidence,
      });
    }
    return pass(answered.map((s) => `${s.url} answered HTTP ${s.health.status}`).join('; '), { evidence });
  },
};
