import { inspectToken, TokenFormatError } from '../../livekit/token-inspect.js';
import { failedCall } from '../support/failure.js';
import { roomProblems, type RoomLook, type RoomProblem } from '../support/room-problems.js';
import type { UserToken } from '../support/user-token.js';
import { fail, pass, warn, type Check, type CheckContext } from '../check.js';

const iso = (ms: number | undefined) => (ms ? new Date(ms).toISOString() : undefined);


async function look(ctx: CheckContext, name: string): Promise<RoomLook> {
  const api = ctx.api();
  const [room] = await api.listRooms([name]);
  if (!room) return { dispatches: [], participants: [] };
  // The room can close between the calls: what was seen still counts.
  const [dispatches, participants] = await Promise.all([api.listDispatch(name).catch(() => []), api.listParticipants(name).catch(() => [])]);
  return { room, dispatches, participants };
}

/** The app's token, if the run has one: from --token, or as the endpoint handed it out. Decoded here, validity aside. */
function tokenFacts(ctx: CheckContext) {
  const jwt = ctx.facts.userToken?.jwt ?? ctx.options.token;
  if (!jwt) return undefined;
  try {
    const c = inspectToken(jwt).claims;
    return { room: typeof c.video.room === 'string' ? c.video.room : undefined, identity: c.identity, agents: c.agentDispatches.map((d) => d.agentName), issuedAtMs: c.issuedAtMs ?? c.notBeforeMs };
  } catch (err) {
    if (err instanceof TokenFormatError) return undefined;
    throw err;
  }
}

export const roomInspect: Check = {
  id: 'room.inspect',
  title: "Your room: its age, dispatches and agent",
  needs: ['server.rooms', 'token.endpoint'],
  deadlineMs: (ctx) => 3 * ctx.settings.timeoutMs + 2_000,
  appliesTo: (o) => !!o.room,
  async run(ctx) {
    const name = ctx.options.room!;
    const token = tokenFacts(ctx);
    let mine: RoomLook;
    let other: RoomLook | undefined;
    const dispatchRoom = ctx.options.dispatchRoom;
    try {
      mine = await look(ctx, name);
      if (dispatchRoom && dispatchRoom !== name) other = await look(ctx, dispatchRoom);
    } catch (err) {
      return failedCall(err, `looking at room "${name}"`);
    }
    // The doctor's own join with the app's token (token.agent-joined) is not the user.
    const participants = mine.participants.filter((p) => !(token?.identity && p.identity === token.identity && ctx.options.tokenEndpoint));
    const agents = participants.filter((p) => p.isAgent);
    const problems: RoomProblem[] = roomProblems({ name, mine: { ...mine, participants }, other, dispatchRoom, token, dispatchedAtMs: ctx.options.dispatchedAtMs, expectedAgent: ctx.options.agentName });
    const r = mine.room;
    const details = r
      ? [
          `room "${name}" (${r.sid}) live since ${iso(r.createdAtMs)}; empty timeout ${r.emptyTimeoutS} s, departure timeout ${r.departureTimeoutS} s`,
          ...mine.dispatches.map((d) => `dispatch ${d.id} "${d.agentName}"${d.agentName ? '' : ' (automatic)'} created ${iso(d.createdAtMs) ?? '(time unknown)'}; jobs: ${d.jobs.length ? d.jobs.map((j) => `${j.id} ${j.status}${j.participantIdentity ? ` as ${j.participantIdentity}` : ''}`).join(', ') : 'none reported (self-hosted servers report none)'}`),
          ...participants.map((p) => `participant ${p.identity} (${p.kind}${p.isAgent ? `, agent "${p.agentName ?? ''}"` : ''})`),
        ]
      : [`room "${name}" is not live on this server`];
    details.push(...problems.slice(1).map((p) => `also ${p.cause}: ${p.message}`));
    const evidence = {
      room: r ? { name, sid: r.sid, createdAt: iso(r.createdAtMs), emptyTimeoutS: r.emptyTimeoutS, departureTimeoutS: r.departureTimeoutS, participants: r.numParticipants } : { name, live: false },
      dispatches: mine.dispatches.map((d) => ({ id: d.id, agentName: d.agentName, createdAt: iso(d.createdAtMs), jobs: d.jobs })),
      participants: participants.map((p) => ({ identity: p.identity, kind: p.kind, agentName: p.agentName })),
      agents: agents.map((a) => a.agentName ?? ''),
      problems,
    };
    if (problems.length) {
      const [first] = problems;
      return fail(first!.message, { cause: first!.cause, details, fix: first!.fix, evidence });
    }
    if (!r) return warn(`room "${name}" is not live: it closed (empty timeout) or was never created`, { cause: 'room-not-live', details, evidence });
    if (!agents.length) {
      return warn(`room "${name}" is live with ${participants.length} participant(s) and no agent`, {
        cause: 'room-without-agent',
        details,
        fix: { text: 'dispatch the agent into this room (CreateDispatch), or check the token dispatch with --token-endpoint' },
        evidence,
      });
    }
    return pass(`room "${name}" has agent ${agents.map((a) => `"${a.agentName ?? ''}" (${a.identity})`).join(', ')}; live since ${iso(r.createdAtMs)}`, { details, evidence });
  },
};
