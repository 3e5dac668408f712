import { sleep } from '../../core/cleanup.js';
import { UsageError } from '../../core/errors.js';
import { classifyServerLog, decideFromLog, type ServerLogVerdict } from '../../evidence/server-log.js';
import { serverLogSource } from '../support/server-log-source.js';
import { correlateDispatch } from '../support/server-log-window.js';
import { watchAgentRoomUntil } from '../support/agent-room-watch.js';
import { jobEndedDecision } from '../support/decisions.js';
import { fail, pass, warn, type Check } from '../check.js';

/**
 * livekit-server logs "not dispatching agent job since no worker is available" within ~10 ms when its cache of
 * agent names is warm, and about 5 s after the dispatch when it is cold (measured on v1.13.5: the first dispatch
 * after any worker registered, the doctor's probe included, waits out a 5 s CheckEnabled call).
 */
export const NO_WORKER_LINE_AFTER_MS = 6_500;
const REREAD_MS = 1_000;
const FOLLOW_MS = 100;

export const serverLogVerdict: Check = {
  id: 'server-log.verdict',
  title: "The server's log says what became of the agent's job",
  needs: ['server-log.read', 'agent.dispatched'],
  after: ['agent.job-taken', 'agent.joined', 'agent.speaks', 'agent.stays'],
  deadlineMs: (ctx) => Math.max(NO_WORKER_LINE_AFTER_MS + REREAD_MS, ctx.options.waitMs) + 2 * ctx.settings.timeoutMs + 5_000,
  appliesTo: (o) => o.serverLog !== undefined && o.agentName !== undefined,
  async run(ctx) {
    const d = ctx.facts.agentDispatch!;
    const source = serverLogSource(ctx.facts)!;
    let joined = !!ctx.facts.agent?.joined;
    const classify = async () => {
      const log = await source.read();
      const evidence = correlateDispatch(ctx, log.entries, d);
      return { evidence, verdicts: classifyServerLog(evidence, { dispatchedName: d.agentName, agentJoined: joined, sinceDispatchMs: ctx.timeline.clock.now() - d.sentAtMs }) };
    };
    let result;
    try {
      result = await classify();
      // The line that tells "no worker under this name" can come late: follow the log until a verdict decides,
      // bounded by dispatch + 6.5 s (and by count).
      for (let i = 0; !joined && !decideFromLog(result.verdicts) && i < NO_WORKER_LINE_AFTER_MS / FOLLOW_MS && ctx.timeline.clock.now() < d.sentAtMs + NO_WORKER_LINE_AFTER_MS; i++) {
        await sleep(FOLLOW_MS, ctx.signal);
        result = await classify();
      }
      // The server writes its log asynchronously: one more read when nothing was there yet.
      if (result.verdicts[0]!.cause === 'nothing-logged') {
        await sleep(REREAD_MS, ctx.signal);
        result = await classify();
      }
      // Assigned, not ended, no agent seen yet: when agent.joined did not watch the room (it is skipped when another
      // worker took the job), "crashed after taking the job" is not known yet. Watch for the join up to --wait.
      const assigned = result.verdicts.find((v) => v.cause === 'assigned-not-joined');
      const leftMs = d.sentAtMs + ctx.options.waitMs - ctx.timeline.clock.now();
      if (!joined && assigned && !assigned.ended && leftMs > 0) {
        await watchAgentRoomUntil(ctx, leftMs, () => jobEndedDecision(ctx, d));
        joined = !!ctx.facts.agent?.joined;
        result = await classify();
      }
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      return fail(err.message, { cause: 'server-log-unreadable', fix: { text: 'give the log of the livekit-server that handles this project' } });
    }
    const { evidence, verdicts } = result;
    const details = [...new Set(verdicts.flatMap((v) => v.evidence))];
    const outcomeEvidence = {
      room: d.room,
      agentName: d.agentName,
      window: { since: evidence.since.toISOString(), until: evidence.until.toISOString() },
      linesMatched: evidence.linesMatched,
      verdicts: verdicts.map(plainVerdict),
    };
    const good = verdicts.find((v) => v.cause === 'assigned-and-joined');
    if (good) return pass(good.summary, { details, evidence: outcomeEvidence });
    const primary = verdicts[0]!;
    if (primary.cause === 'nothing-logged') {
      return warn(`${primary.summary} Is this the log of the server the doctor talked to, at INFO level or lower, and still being written?`, {
        cause: 'server-log-nothing-logged',
        fix: primary.fix,
        evidence: outcomeEvidence,
      });
    }
    return fail(primary.summary, { cause: primary.cause, details, fix: primary.fix, evidence: outcomeEvidence });
  },
};

/** The verdicts as report evidence (plain JSON; log lines already redacted by the reader). */
function plainVerdict(v: ServerLogVerdict) {
  return {
    cause: v.cause,
    summary: v.summary,
    evidence: v.evidence,
    ...(v.jobId ? { jobId: v.jobId } : {}),
    ...(v.workerId ? { workerId: v.workerId } : {}),
    ...(v.probableIntent ? { probableIntent: v.probableIntent } : {}),
    ...(v.unnamedWorkers ? { unnamedWorkers: v.unnamedWorkers } : {}),
    ...(v.goneWorkers ? { goneWorkers: v.goneWorkers } : {}),
    ...(v.ended ? { ended: v.ended } : {}),
    ...(v.lateByMs !== undefined ? { lateByMs: v.lateByMs } : {}),
    fix: v.fix,
  };
}

export type PlainServerLogVerdict = ReturnType<typeof plainVerdict>;
