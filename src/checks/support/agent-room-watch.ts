import { sleep } from '../../core/cleanup.js';
import type { ParticipantView } from '../../livekit/server-api.js';
import type { CheckContext } from '../check.js';
import type { AgentObservation, SeenParticipant } from '../facts.js';
import type { Decision } from './decisions.js';

const POLL_MS = 150;

/** The job id an SDK puts in its default identity (`agent-AJ_…`). */
export function jobIdFromIdentity(identity: string): string | undefined {
  return /\b(AJ_[A-Za-z0-9]+)/.exec(identity)?.[1];
}

/** The tracks of a participant as the agent checks keep them. */
export function trackFacts(p: ParticipantView): SeenParticipant['tracks'] {
  return p.tracks.map((t) => ({ type: t.type, source: t.source, muted: t.muted }));
}

function seen(ctx: CheckContext, p: ParticipantView, dispatchCreatedAtMs?: number): SeenParticipant {
  return {
    identity: p.identity,
    kind: p.kind,
    agentName: p.agentName,
    seenAtMs: ctx.timeline.clock.now(),
    joinAfterDispatchMs: dispatchCreatedAtMs && p.joinedAtMs ? p.joinedAtMs - dispatchCreatedAtMs : undefined,
    tracks: trackFacts(p),
    ...(p.permission ? { permission: p.permission } : {}),
  };
}

/**
 * Watches the doctor's agent room until an AGENT participant with the dispatched name joins or the time
 * is up, polling ListParticipants and ListDispatch (whose jobs only some servers report).
 */
export async function watchAgentRoom(ctx: CheckContext, untilMs: number): Promise<AgentObservation> {
  return (await watchAgentRoomUntil(ctx, untilMs)).obs;
}

/**
 * The same watch, also ended by the first decisive answer of an evidence source (`decide`, asked on every
 * poll alongside the room): `untilMs` stays the upper bound. A join is the room's own decision.
 */
export async function watchAgentRoomUntil(
  ctx: CheckContext,
  untilMs: number,
  decide?: (obs: AgentObservation) => Promise<Decision | undefined>,
): Promise<{ obs: AgentObservation; decision?: Decision }> {
  const d = ctx.facts.agentDispatch!;
  const obs: AgentObservation = (ctx.facts.agent ??= { otherAgents: [], jobs: [], polls: 0, serverListsJobs: false });
  const api = ctx.api();
  let dispatchCreatedAtMs: number | undefined;
  const maxPolls = Math.ceil(untilMs / POLL_MS) + 2;
  const started = performance.now();
  for (let i = 0; i < maxPolls && performance.now() - started < untilMs; i++) {
    obs.polls++;
    const [participants, dispatches, decided] = await Promise.all([
      api.listParticipants(d.room),
      api.listDispatch(d.room).catch(() => []),
      decide?.(obs).catch(() => undefined),
    ]);
    const mine = dispatches.find((x) => x.id === d.dispatchId);
    dispatchCreatedAtMs ??= mine?.createdAtMs;
    for (const job of mine?.jobs ?? []) {
      obs.serverListsJobs = true;
      if (!obs.jobs.some((j) => j.source === 'list-dispatch' && j.jobId === job.id)) {
        obs.jobs.push({ source: 'list-dispatch', jobId: job.id, workerId: job.workerId, status: job.status, error: job.error, atMs: ctx.timeline.clock.now() });
        ctx.timeline.add('api', 'job-listed', { jobId: job.id, workerId: job.workerId, status: job.status });
      }
    }
    for (const p of participants) {
      if (!p.isAgent) continue;
      if (p.agentName === d.agentName && !obs.joined) {
        obs.joined = seen(ctx, p, dispatchCreatedAtMs);
        ctx.timeline.add('agent', 'agent-joined', { identity: p.identity, agentName: p.agentName });
        const jobId = jobIdFromIdentity(p.identity);
        obs.jobs.push({ source: 'participant', jobId, atMs: obs.joined.seenAtMs });
      } else if (p.agentName !== d.agentName && !obs.otherAgents.some((o) => o.identity === p.identity)) {
        obs.otherAgents.push(seen(ctx, p, dispatchCreatedAtMs));
        ctx.timeline.add('agent', 'other-agent-joined', { identity: p.identity, agentName: p.agentName ?? '' });
      }
    }
    if (obs.joined) {
      // Tracks appear a moment after the join: refresh them once the participant is there.
      const me = participants.find((p) => p.identity === obs.joined!.identity);
      if (me) obs.joined.tracks = trackFacts(me);
      const atMs = obs.joined.seenAtMs;
      return { obs, decision: { source: 'room', kind: 'taken', cause: 'agent-joined', summary: `${obs.joined.identity} joined`, atMs, afterDispatchMs: atMs - d.sentAtMs } };
    }
    if (decided) return { obs, decision: decided };
    await sleep(POLL_MS, ctx.signal);
  }
  return { obs };
}
