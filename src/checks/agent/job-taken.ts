import { watchAgentRoom } from '../support/agent-room-watch.js';
import { fail, pass, warn, type Check } from '../check.js';

export const agentJobTaken: Check = {
  id: 'agent.job-taken',
  title: 'A worker under that name takes the job',
  needs: ['agent.dispatched'],
  deadlineMs: (ctx) => ctx.options.waitMs + ctx.settings.timeoutMs + 2_000,
  appliesTo: (o) => o.agentName !== undefined,
  async run(ctx) {
    const d = ctx.facts.agentDispatch!;
    const obs = await watchAgentRoom(ctx, ctx.options.waitMs);
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
    const evidence = { dispatchId: d.dispatchId, room: d.room, jobs: obs.jobs, otherAgents: obs.otherAgents, serverListsJobs: obs.serverListsJobs, polls: obs.polls };
    const taken = listed[0] ?? obs.jobs.find((j) => j.source === 'participant');
    if (!taken) {
      return fail(`no sign within ${(ctx.options.waitMs / 1000).toFixed(0)} s that any worker took the job for "${d.agentName}": no agent joined, and the server lists no job`, {
        cause: 'agent-no-job',
        details: [
          ...(others.length ? [`another agent joined the room instead: ${others.join(', ')}`] : []),
          'self-hosted livekit-server never lists jobs for a dispatch, so "no job listed" alone proves nothing; add --server-log or --agent-http for direct evidence',
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
    return pass(`${who} took job ${taken.jobId ?? '(id not shown)'} (${how})`, { evidence });
  },
};
