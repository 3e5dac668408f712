import { ms } from '../support/doctor-room.js';
import { fail, notApplicable, pass, warn, type Check } from '../check.js';
import { describeWorkerClose } from '../../livekit/worker/types.js';

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
    if (!joined && worker.closed && !current.joinError) {
      // The socket ending is what happened; the RTC ports were never tried to the end.
      const after = Math.round(worker.closed.atMs - (current.assignedAtMs ?? current.requestAtMs));
      return fail(`${describeWorkerClose(worker.closed)} ${after} ms after the assignment, before the probe had joined room ${job.room}`, {
        cause: 'worker-socket-closed',
        fix: { text: 'the job was assigned, then the worker socket ended: check the network path to the server (proxies, load balancers) and whether the server restarted, then run again' },
        evidence: { jobId: job.jobId, room: job.room, closedAtMs: worker.closed.atMs, code: worker.closed.code, error: worker.closed.error },
      });
    }
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
