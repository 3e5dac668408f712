import { toWsUrl } from '../../core/urls.js';
import { roomOf, seconds, userToken } from '../support/user-token.js';
import { fail, pass, warn, type Check } from '../check.js';


/**
 * The full token-dispatch path, exactly as the app's user walks it: join with the endpoint's token and
 * wait for an agent. Only for endpoint tokens: a token given by hand may be a real user's identity.
 */
export const tokenAgentJoined: Check = {
  id: 'token.agent-joined',
  title: 'An agent joins the room the token opens',
  needs: ['token.dispatch'],
  deadlineMs: (ctx) => ctx.options.waitMs + 2 * ctx.settings.timeoutMs + 5_000,
  appliesTo: (o) => !!o.tokenEndpoint,
  async run(ctx) {
    const token = userToken(ctx)!;
    const room = roomOf(token.inspection) ?? '';
    const url = token.serverUrl ? toWsUrl(token.serverUrl) : ctx.connection?.wsUrl;
    if (!url) return fail('no server URL to join: the endpoint named none and none is configured', { cause: 'no-server-url', fix: { text: 'pass --url, or make the endpoint answer server_url' } });
    const { joinAndWaitForAgent } = await import('../../livekit/token-join.js');
    ctx.timeline.add('app-user', 'join-start', { room });
    let result;
    try {
      result = await joinAndWaitForAgent(url, token.jwt, { joinTimeoutMs: ctx.settings.timeoutMs, waitMs: ctx.options.waitMs, signal: ctx.signal });
    } catch (err) {
      return fail(`joining room "${room}" with the app's token failed: ${err instanceof Error ? err.message : String(err)}`, {
        cause: 'token-join-failed',
        fix: { text: "the app's user cannot join either: check the token (token.valid) and that the RTC ports are reachable" },
      });
    }
    const leave = ctx.cleanup.add(`leave room ${room}`, () => result.joined.leave());
    // Delete the room only when the doctor's own join created it; a room that was live before is the user's.
    const createdByDoctor = token.roomBefore === null && !!ctx.connection;
    if (createdByDoctor) {
      ctx.facts.createdRooms.push(room);
      ctx.cleanup.add(`delete room ${room} (created by the doctor's join)`, () => ctx.api().deleteRoom(room));
    }
    ctx.timeline.add('app-user', 'joined', { room, joinMs: result.joinMs });
    if (result.agent) ctx.timeline.add('app-user', 'agent-seen', { identity: result.agent.identity, afterJoinMs: result.agent.afterJoinMs });
    await result.joined.leave();
    leave();
    const names = token.inspection?.claims.agentDispatches.map((d) => d.agentName) ?? [];
    const evidence = { room, joinMs: result.joinMs, agent: result.agent, agentsAlreadyThere: result.agentsAlreadyThere.length, roomCreatedByJoin: token.roomBefore === null, dispatched: names };
    const agent = result.agent;
    if (agent) {
      const name = agent.agentName ?? '';
      if (result.agentsAlreadyThere.length) {
        return warn(`agent "${name}" (${agent.identity}) was already in room "${room}" before the doctor joined: it did not come through this token's dispatch`, { cause: 'agent-already-in-room', evidence });
      }
      if (names.length && !names.includes(name)) {
        return warn(`an agent joined ${agent.afterJoinMs} ms after the join, but it is "${name}", not the dispatched ${names.map((n) => `"${n}"`).join(', ')}`, {
          cause: 'other-agent-joined',
          details: ['an agent registered without a name takes the automatic dispatch of every new room; the named one did not come'],
          evidence,
        });
      }
      return pass(`agent "${name}" (${agent.identity}) joined ${agent.afterJoinMs} ms after the doctor joined with the app's token (join took ${result.joinMs} ms)`, { evidence });
    }
    const waited = seconds(ctx.options.waitMs);
    if (token.roomBefore) {
      return fail(`no agent joined within ${waited}: room "${room}" was already live, so the token's dispatch was ignored`, {
        cause: 'token-dispatch-ignored-room-existed',
        fix: { text: 'use a fresh room name per session (or wait until the old room closes), or dispatch from the backend with CreateDispatch' },
        evidence,
      });
    }
    if (!names.length) {
      return fail(`no agent joined within ${waited}: the token dispatches no agent, and no unnamed worker took the room's automatic dispatch`, {
        cause: 'no-dispatch-for-room',
        fix: { text: 'put the agent into the token (roomConfig.agents) or dispatch it from the backend; automatic dispatch reaches only workers registered without a name' },
        evidence,
      });
    }
    return fail(`no agent joined within ${waited}, although the join created room "${room}" and the token dispatches ${names.map((n) => `"${n}"`).join(', ')}`, {
      cause: 'token-dispatch-no-agent',
      details: ['no worker under exactly that name took the job in this project: the name differs, the worker runs against another project or URL, it is full, or it crashed before joining'],
      fix: { text: 'run `livekit-doctor check --agent <name>` to dispatch your agent directly and see which step fails' },
      evidence,
    });
  },
};
