import { ms } from '../support/doctor-room.js';
import { fail, notApplicable, pass, warn, type Check } from '../check.js';

export const probeJoined: Check = {
  id: 'probe.joined',
  title: 'The worker joins the room with the job token',
  needs: ['probe.job-assigned'],
  deadlineMs: (ctx) => ctx.options.waitMs + ctx.settings.timeoutMs + 2_000,
  async run(ctx) {
    const worker = ctx.facts.probeWorker!;
    const job = ctx.facts.probeJob!;
    if (ctx.options.probeMode === 'observe') return notApplicable('observe mode: the probe accepted the job but does not join');
    const joined = await worker.waitForStage(job.jobId, 'joined', ctx.signal, ctx.options.waitMs);
    const current = worker.jobs.get(job.jobId) ?? job;
    if (!joined) {
      return fail(current.joinError ? `joining room ${job.room} failed: ${current.joinError}` : `the probe did not join room ${job.room} within ${(ctx.options.waitMs / 1000).toFixed(0)} s`, {
        cause: 'join-failed',
        fix: { text: 'the job was delivered but the media connection failed: check that the RTC ports (UDP, TCP 7881, TURN) are reachable from here' },
        evidence: { jobId: job.jobId, room: job.room, joinError: current.joinError },
      });
    }
    const afterAssignment = joined.joinedAtMs! - (joined.assignedAtMs ?? joined.requestAtMs);
    const listed = await ctx.api().listParticipants(job.room);
    const me = listed.find((p) => p.identity === joined.participantIdentity);
    const evidence = { room: job.room, identity: joined.participantIdentity, joinMs: Math.round(afterAssignment), listedKind: me?.kind, listedAgentName: me?.agentName };
    await worker.leaveJob(job.jobId);
    if (!me) {
      return warn(`joined ${ms(afterAssignment)} after the assignment, but ListParticipants does not list ${joined.participantIdentity}`, { cause: 'participant-not-listed', evidence });
    }
    if (!me.isAgent) {
      return warn(`joined, but the server lists ${me.identity} as ${me.kind}, not AGENT`, { cause: 'participant-not-agent', evidence });
    }
    return pass(`joined ${ms(afterAssignment)} after the assignment; ListParticipants shows ${me.identity} as AGENT`, { evidence });
  },
};
