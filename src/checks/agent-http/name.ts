import { compareAgentNames } from '../../evidence/name-diff.js';
import { effectiveAgentName } from '../../evidence/agent-http/assess.js';
import { answeredWorkers } from '../support/agent-endpoints.js';
import { fail, notApplicable, pass, type Check } from '../check.js';

/** Needs no dispatch: it compares what the agent registered with the name given to --agent. */
export const agentHttpName: Check = {
  id: 'agent-http.name',
  title: 'Your agent is registered under exactly the dispatched name (byte for byte)',
  needs: ['agent-http.reachable'],
  deadlineMs: 1_000,
  appliesTo: (o) => !!o.agentHttp?.length && o.agentName !== undefined,
  async run(ctx) {
    const expected = ctx.options.agentName!;
    // Python agents leave out an empty agent_name (protobuf JSON): that is an unnamed worker, not an unknown name.
    const named = answeredWorkers(ctx.facts).flatMap((s) => {
      const registered = s.worker ? effectiveAgentName(s.worker) : undefined;
      return registered === undefined ? [] : [{ s, registered }];
    });
    if (!named.length) return notApplicable('no endpoint described its worker (/worker), so its registered name is unknown');
    const compared = named.map(({ s, registered }) => ({ url: s.url, registered, omitted: s.worker!.agentName === undefined, fromEnv: s.worker!.agentNameIsEnv, ...compareAgentNames(expected, registered) }));
    const evidence = {
      expected,
      endpoints: compared.map((c) => ({ url: c.url, registered: c.registered, equal: c.equal, shownExpected: c.shown.expected, shownRegistered: c.shown.registered, differences: c.differences, agentNameIsEnv: c.fromEnv })),
    };
    const differing = compared.filter((c) => !c.equal);
    if (!differing.length) return pass(`registered as ${compared[0]!.shown.registered}: byte for byte the dispatched name`, { evidence });
    const first = differing[0]!;
    const unnamed = first.registered === '';
    const summary = unnamed
      ? `${first.url} registered without a name${first.omitted ? ' (its /worker sends no agent_name)' : ''}: it gets only automatic dispatch (new rooms), never a dispatch to ${first.shown.expected}`
      : `registered as ${first.shown.registered}${first.fromEnv ? ' (from LIVEKIT_AGENT_NAME)' : ''}, dispatched as ${first.shown.expected}: ${first.differences[0]}`;
    return fail(summary, {
      cause: unnamed ? 'agent-unnamed' : 'agent-name-mismatch',
      details: [
        `dispatched:  ${first.shown.expected}`,
        `registered:  ${first.shown.registered}   (${first.url})`,
        ...first.differences.slice(1),
        ...differing.slice(1).map((c) => `${c.url}: registered as ${c.shown.registered}: ${c.differences[0]}`),
      ],
      fix: {
        text: unnamed
          ? `set agent_name / agentName (or LIVEKIT_AGENT_NAME) to ${JSON.stringify(expected)} on the agent`
          : 'make the two names byte-for-byte equal (in the agent and in the backend that dispatches): the server compares them exactly, without trimming or case folding',
      },
      evidence,
    });
  },
};
