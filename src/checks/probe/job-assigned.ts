import { ms } from '../support/doctor-room.js';
import { fail, pass, type Check } from '../check.js';
import { describeWorkerClose } from '../../livekit/worker/types.js';

const ASSIGNMENT_WAIT_MS = 5_000;

export const probeJobAssigned: Check = {
  id: 'probe.job-assigned',
  title: 'The accepted job is assigned to the worker',
  needs: ['probe.job-received'],
  deadlineMs: ASSIGNMENT_WAIT_MS + 2_000,
  async run(ctx) {
    const worker = ctx.facts.probeWorker!;
    const job = ctx.facts.probeJob!;
    const assigned = await worker.waitForStage(job.jobId, 'assigned', ctx.signal, ASSIGNMENT_WAIT_MS);
    if (!assigned && !job.accepted) {
      return fail(`the probe answered "not available" for job ${job.jobId} (--probe-mode reject) and no assignment followed: the job is lost`, {
        cause: 'job-rejected-by-worker',
        details: ['this is what happens to your agent\'s jobs when its request handler rejects them or the worker is draining: the server tries other workers under the name, and without one the job is dropped silently'],
        fix: { text: 'run without --probe-mode reject to test the accept path' },
        evidence: { jobId: job.jobId, accepted: false },
      });
    }
    if (!assigned && worker.closed) {
      return fail(`${describeWorkerClose(worker.closed)} ${Math.round(worker.closed.atMs - job.requestAtMs)} ms after job ${job.jobId} arrived, before its assignment`, {
        cause: 'worker-socket-closed',
        fix: { text: 'the worker socket ended mid-job: check the network path to the server and whether the server restarted, then run again' },
        evidence: { jobId: job.jobId, closedAtMs: worker.closed.atMs, code: worker.closed.code, error: worker.closed.error },
      });
    }
    if (!assigned) {
      return fail(`the probe answered job ${job.jobId} ${job.answeredAtMs !== undefined ? `after ${ms(job.answeredAtMs - job.requestAtMs)}` : ''} but no assignment came within ${ASSIGNMENT_WAIT_MS / 1000} s`, {
        cause: 'assignment-missing',
        fix: { text: 'the server gives a worker about 3 s to answer; look in the server log for `failed to assign job to worker` around this job id' },
        details: job.answeredAtMs !== undefined && job.answeredAtMs - job.requestAtMs > 2_500 ? ['the answer came later than the ~3 s the server waits: a slow request handler loses every job this way'] : undefined,
        evidence: { jobId: job.jobId, answerMs: job.answeredAtMs !== undefined ? Math.round(job.answeredAtMs - job.requestAtMs) : undefined },
      });
    }
    const answered = assigned.answeredAtMs ?? assigned.requestAtMs;
    return pass(`assignment for ${job.jobId} came ${ms(assigned.assignedAtMs! - answered)} after the probe's answer${assigned.assignmentUrl ? ` (join URL ${assigned.assignmentUrl})` : ''}`, {
      evidence: { jobId: job.jobId, answerMs: Math.round(answered - assigned.requestAtMs), assignmentMs: Math.round(assigned.assignedAtMs! - answered), assignmentUrl: assigned.assignmentUrl },
    });
  },
};
