import { ms } from '../support/doctor-room.js';
import { fail, pass, type Check } from '../check.js';
import { describeWorkerClose } from '../../livekit/worker/types.js';
import { describeDecision, recordDecision } from '../support/decisions.js';

/** On livekit-server ~200 ms of every dispatch is its worker-selection window, not network or worker time. */
export const SELECTION_WINDOW_MS = 200;

export const probeJobReceived: Check = {
  id: 'probe.job-received',
  title: 'The job request reaches the worker',
  needs: ['probe.dispatched'],
  deadlineMs: (ctx) => ctx.options.waitMs + 2_000,
  async run(ctx) {
    const worker = ctx.facts.probeWorker!;
    const d = ctx.facts.probeDispatch!;
    const until = performance.now() + ctx.options.waitMs;
    // With a shared --probe-name, jobs for other rooms can arrive too: wait for ours.
    for (let i = 0; i < 1000; i++) {
      const left = until - performance.now();
      if (left <= 0) break;
      const job = await worker.nextJob(ctx.signal, left);
      if (!job) break;
      if (job.room !== d.room) {
        ctx.log(`probe got a job for another room (${job.room}); it was answered like any other`);
        continue;
      }
      ctx.facts.probeJob = job;
      const latency = job.requestAtMs - d.sentAtMs;
      return pass(`job ${job.jobId} arrived ${ms(latency)} after the dispatch was sent`, {
        details: [`about ${SELECTION_WINDOW_MS} ms of that is the server's worker-selection window (livekit-server waits for other nodes' offers), not network time`],
        evidence: { jobId: job.jobId, dispatchId: job.dispatchId, room: job.room, latencyMs: Math.round(latency), answeredInMs: job.answeredAtMs !== undefined ? Math.round(job.answeredAtMs - job.requestAtMs) : undefined },
      });
    }
    const closed = worker.closed;
    if (closed) {
      const cut = closed.code === 1006 || closed.error !== undefined;
      // The wait ended when the socket did: say so, and how much of --wait that spared.
      const decision = { source: 'worker-socket' as const, kind: 'not-taken' as const, cause: 'worker-socket-closed', summary: describeWorkerClose(closed), atMs: closed.atMs, afterDispatchMs: closed.atMs - d.sentAtMs };
      const decidedBy = closed.atMs >= d.sentAtMs ? recordDecision(ctx, 'probe.job-received', decision, ctx.options.waitMs) : undefined;
      return fail(`${describeWorkerClose(closed)} before a job request arrived${decidedBy ? `; ${describeDecision(decision)}` : ''}`, {
        cause: 'worker-socket-closed',
        fix: {
          text: cut
            ? 'the connection dropped on the way: check the network path to the server (proxies, load balancers, VPN) and whether the server restarted, then run again'
            : 'the server dropped the worker: check the server log for `unable to handle worker signal` or a restart',
        },
        evidence: { closedAtMs: closed.atMs, code: closed.code, error: closed.error, ...(decidedBy ? { decidedBy } : {}) },
      });
    }
    return fail(`no job request within ${(ctx.options.waitMs / 1000).toFixed(0)} s of dispatch ${d.dispatchId} to "${d.agentName}"`, {
      cause: 'dispatch-not-delivered',
      details: [
        'the worker was registered under exactly this name before the dispatch, so the server had a worker to offer the job to',
        'this rules out your agent, its name and its load; it rules in the server (self-hosted: multi-node routing over Redis, worker selection) or the project on LiveKit Cloud',
      ],
      fix: {
        text: 'self-hosted: look in the server log for `failed to send job request` / `no worker available` around this time; LiveKit Cloud: send the evidence bundle to support',
        commands: ['livekit-doctor check --bundle livekit-doctor-evidence.zip'],
      },
      evidence: { dispatchId: d.dispatchId, room: d.room, agentName: d.agentName, waitedMs: ctx.options.waitMs },
    });
  },
};
