import { watchAgentRoomUntil } from '../support/agent-room-watch.js';
import { endpointStalls } from '../support/agent-endpoints.js';
import { agentHttpDecision, describeDecision, recordDecision, serverLogDecision, type Decision } from '../support/decisions.js';
import { fail, pass, warn, type Check, type CheckContext } from '../check.js';
import type { CreatedDispatch } from '../facts.js';

/**
 * What ends this wait before --wait: the agent joining (the room), the server log naming who took the job or
 * that nobody will, the agent endpoint showing this worker can never take it. The server log outranks the endpoint.
 */
async function decideJobTaken(ctx: CheckContext, d: CreatedDispatch): Promise<Decision | undefined> {
  const fromLog = await serverLogDecision(ctx, d);
  if (fromLog) return fromLog;
  return agentHttpDecision(ctx, d);
}

export const agentJobTaken: Check = {
  id: 'agent.job-taken',
  title: 'A worker under that name takes the job',
  needs: ['agent.dispatched'],
  deadlineMs: (ctx) => ctx.options.waitMs + ctx.settings.timeoutMs + 2_000,
  appliesTo: (o) => o.agentName !== undefined,
  async run(ctx) {
    const d = ctx.facts.agentDispatch!;
    const { obs, decision } = await watchAgentRoomUntil(ctx, ctx.options.waitMs, () => decideJobTaken(ctx, d));
    const waitedMs = Math.round(ctx.timeline.clock.now() - d.sentAtMs);
    const decidedBy = decision && decision.source !== 'room' ? recordDecision(ctx, 'agent.job-taken', decision, ctx.options.waitMs) : undefined;
    const workerId = ctx.options.workerId;
    if (!obs.joined || (workerId && !obs.jobs.some((j) => j.workerId))) {
      for (const source of ctx.facts.jobEvidenceSources ?? []) {
        const found = await source({ room: d.room, agentName: d.agentName, dispatchId: d.dispatchId, sinceMs: d.sentAtMs }).catch(() => []);
        obs.jobs.push(...found);
      }
    }
    // active_jobs rising on the agent's endpoint shows a job was taken even without ids; sources naming the worker go first.
    const listed = obs.jobs
      .filter((j) => j.source !== 'participant' && (j.jobId || j.workerId || j.source === 'agent-http'))
      .sort((a, b) => Number(!!b.workerId) - Number(!!a.workerId));
    const others = obs.otherAgents.map((o) => `${o.identity} (agent name "${o.agentName ?? ''}")`);
    const stalls = endpointStalls(ctx.facts);
    const evidence = {
      dispatchId: d.dispatchId, room: d.room, jobs: obs.jobs, otherAgents: obs.otherAgents, serverListsJobs: obs.serverListsJobs, polls: obs.polls, waitedMs,
      ...(decidedBy ? { decidedBy } : {}),
      ...(stalls.length ? { endpointStalls: stalls } : {}),
    };
    const taken = listed[0] ?? obs.jobs.find((j) => j.source === 'participant');
    if (decidedBy && decision!.kind === 'not-taken') {
      return fail(`no worker took the job for "${d.agentName}": ${describeDecision(decision!)} (${decision!.summary})`, {
        cause: 'agent-no-job',
        details: [...(others.length ? [`another agent joined the room instead: ${others.join(', ')}`] : []), `${describeDecision(decision!)}; --wait ${(ctx.options.waitMs / 1000).toFixed(0)} s was not needed`],
        fix: { text: 'see the findings: the evidence names the cause' },
        evidence,
      });
    }
    if (!taken) {
      const noEvidence = !ctx.options.serverLog && !ctx.options.agentHttp?.length;
      return fail(`no sign within ${(ctx.options.waitMs / 1000).toFixed(0)} s that any worker took the job for "${d.agentName}": no agent joined, and the server lists no job`, {
        cause: 'agent-no-job',
        details: [
          ...(others.length ? [`another agent joined the room instead: ${others.join(', ')}`] : []),
          noEvidence
            ? `self-hosted livekit-server never lists jobs for a dispatch, so "no job listed" alone proves nothing; this run waited the whole ${(waitedMs / 1000).toFixed(1)} s; add --server-log or --agent-http for direct evidence, and the doctor stops as soon as it decides`
            : 'self-hosted livekit-server never lists jobs for a dispatch, so "no job listed" alone proves nothing; the evidence given said nothing decisive about this dispatch',
        ],
        fix: { text: 'check that your agent runs, is registered under exactly this name, against this URL and API key (see the findings)' },
        evidence,
      });
    }
    const who = taken.workerId ? `worker ${taken.workerId}` : 'a worker';
    const how =
      taken.source === 'participant'
        ? `seen as agent participant ${obs.joined?.identity}`
        : taken.source === 'list-dispatch'
          ? `listed by the server (${taken.status}${taken.error ? `: ${taken.error}` : ''})`
          : `from ${taken.source === 'server-log' ? "the server's log" : `the agent's HTTP endpoint: ${taken.status ?? 'active_jobs rose'}`}${obs.joined ? `, joined as ${obs.joined.identity}` : ''}`;
    if (workerId && taken.workerId && taken.workerId !== workerId) {
      return fail(`job ${taken.jobId ?? ''} was taken by worker ${taken.workerId}, not by your worker ${workerId}: another worker with the same name is running somewhere`, {
        cause: 'another-worker-took-job',
        fix: { text: 'find and stop the other worker (an old deployment, a dev instance on a laptop, a second container) or give each environment its own project or agent name' },
        evidence,
      });
    }
    if (workerId && !taken.workerId) {
      return warn(`${who} took job ${taken.jobId ?? ''} (${how}), but this server does not say which worker: cannot compare with ${workerId}`, {
        cause: 'worker-id-unknown',
        fix: { text: 'add --server-log <file> (self-hosted) so the doctor can read which worker was assigned the job' },
        evidence,
      });
    }
    return pass(`${who} took job ${taken.jobId ?? '(id not shown)'} (${how})${decidedBy ? `; ${describeDecision(decision!)}` : ''}`, { evidence });
  },
};
