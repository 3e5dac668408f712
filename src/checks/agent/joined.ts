import { trackFacts, watchAgentRoomUntil } from '../support/agent-room-watch.js';
import { describeDecision, jobEndedDecision, recordDecision } from '../support/decisions.js';
import { ms } from '../support/doctor-room.js';
import { sleep } from '../../core/cleanup.js';
import { describeActiveJobsWatch } from '../../evidence/agent-http.js';
import { watchActiveJobs } from '../support/agent-endpoints.js';
import { fail, pass, type Check, type CheckContext } from '../check.js';
import type { SeenParticipant } from '../facts.js';

const JOIN_GRACE_MS = 2_000;
/** Agents publish their track a moment after joining; a voice agent without one after this long is worth a word. */
const TRACK_WAIT_MS = 1_000;

async function audioTracksSoonAfterJoin(ctx: CheckContext, room: string, p: SeenParticipant): Promise<number> {
  const count = () => p.tracks.filter((t) => t.type === 'audio').length;
  for (let i = 0; i < TRACK_WAIT_MS / 200 && count() === 0; i++) {
    await sleep(200, ctx.signal);
    const me = (await ctx.api().listParticipants(room)).find((x) => x.identity === p.identity);
    if (me) p.tracks = trackFacts(me);
  }
  return count();
}

export const agentJoined: Check = {
  id: 'agent.joined',
  title: 'Your agent joins the room',
  needs: ['agent.job-taken'],
  deadlineMs: (ctx) => ctx.options.waitMs + ctx.settings.timeoutMs + 2_000,
  appliesTo: (o) => o.agentName !== undefined,
  async run(ctx) {
    const d = ctx.facts.agentDispatch!;
    // agent.job-taken already watched the room for --wait; a job it saw taken gets a short grace to turn into a join.
    const untilMs = Math.max(JOIN_GRACE_MS, d.sentAtMs + ctx.options.waitMs - ctx.timeline.clock.now());
    // The agent's endpoint, read all through the wait, tells a job that never reached a job process from one that ran and died.
    const endpoints = ctx.facts.agent?.joined ? undefined : watchActiveJobs(ctx);
    // The server log ends this wait early when the worker reports the job ended and no agent joined (Python agents do).
    const watched = ctx.facts.agent?.joined
      ? { obs: ctx.facts.agent }
      : await watchAgentRoomUntil(ctx, untilMs, () => {
          endpoints?.sample();
          return jobEndedDecision(ctx, d);
        });
    const obs = watched.obs;
    const p = obs.joined;
    if (!p) {
      const job = obs.jobs[0];
      const decision = 'decision' in watched && watched.decision?.source === 'server-log' ? watched.decision : undefined;
      const decidedBy = decision ? recordDecision(ctx, 'agent.joined', decision, ctx.options.waitMs) : undefined;
      const within = decision ? describeDecision(decision) : `within ${((ctx.timeline.clock.now() - d.sentAtMs) / 1000).toFixed(0)} s of the dispatch`;
      const activeJobs = await endpoints?.finish();
      return fail(`job ${job?.jobId ?? ''} was taken${job?.workerId ? ` by worker ${job.workerId}` : ''}, but no agent participant "${d.agentName}" joined room ${d.room}${decision ? ` and the job ended: ${within}` : ` ${within}`}`, {
        cause: 'agent-crashed-before-join',
        fix: { text: "the agent accepted the job and then failed before connecting: look at its entrypoint/prewarm logs for an exception or a timeout ('job crashed', 'initialization timed out')" },
        ...(activeJobs?.length ? { details: activeJobs.map(describeActiveJobsWatch) } : {}),
        evidence: { jobs: obs.jobs, ...(decidedBy ? { decidedBy } : {}), ...(activeJobs?.length ? { activeJobs } : {}) },
      });
    }
    const fromDispatch = p.joinAfterDispatchMs ?? p.seenAtMs - d.sentAtMs;
    const clock = p.joinAfterDispatchMs !== undefined ? "server's clock" : 'seen by polling, ±150 ms';
    const audio = await audioTracksSoonAfterJoin(ctx, d.room, p);
    return pass(`${p.identity} joined as AGENT "${p.agentName}" ${ms(fromDispatch)} after the dispatch (${clock}); ${audio ? `${audio} audio track published` : `no audio track within ${TRACK_WAIT_MS / 1000} s of joining`}`, {
      evidence: { identity: p.identity, kind: p.kind, agentName: p.agentName, joinAfterDispatchMs: Math.round(fromDispatch), tracks: p.tracks },
    });
  },
};
