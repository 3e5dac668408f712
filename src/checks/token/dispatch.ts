import { compareAgentNames } from '../../evidence/name-diff.js';
import { failedCall } from '../support/failure.js';
import { roomOf, userToken, hasUserToken } from '../support/user-token.js';
import { fail, pass, warn, type Check } from '../check.js';

export const tokenDispatch: Check = {
  id: 'token.dispatch',
  title: "The app's token dispatches an agent",
  needs: ['token.valid'],
  deadlineMs: (ctx) => ctx.settings.timeoutMs + 2_000,
  appliesTo: hasUserToken,
  async run(ctx) {
    const token = userToken(ctx)!;
    const inspection = token.inspection!;
    const room = roomOf(inspection);
    const names = inspection.claims.agentDispatches.map((d) => d.agentName);
    if (ctx.connection && room) {
      try {
        const [live] = await ctx.api().listRooms([room]);
        token.roomBefore = live ?? null;
      } catch (err) {
        return failedCall(err, `ListRooms for the token's room "${room}"`);
      }
    }
    const evidence = { room, agentNames: names, roomLiveBefore: token.roomBefore ? { sid: token.roomBefore.sid, createdAt: new Date(token.roomBefore.createdAtMs).toISOString(), participants: token.roomBefore.numParticipants } : token.roomBefore === null ? false : undefined };
    if (!names.length) {
      return warn(`the token carries no agent dispatch (no roomConfig.agents) for room "${room ?? ''}"`, {
        cause: 'token-no-agent-dispatch',
        details: ['a named agent then comes only if the backend calls CreateDispatch for this room; an agent registered without a name comes only when the room is created'],
        fix: { text: 'put the agent into the token: RoomConfiguration({ agents: [new RoomAgentDispatch({ agentName })] }), or dispatch it from the backend', commands: ['livekit-doctor token create --room <room> --identity <id> --agent <name>'] },
        evidence,
      });
    }
    const expected = ctx.options.agentName;
    if (expected !== undefined && !names.includes(expected)) {
      const diff = compareAgentNames(expected, names[0]!);
      return fail(`the token dispatches ${names.map((n) => `"${n}"`).join(', ')}, but your agent is "${expected}": ${diff.differences[0]}`, {
        cause: 'token-agent-name-mismatch',
        details: diff.differences,
        fix: { text: 'the server matches agent names byte for byte: use exactly the name the worker registers with in the token (roomConfig.agents[].agentName)' },
        evidence: { ...evidence, expected: diff.shown.expected, inToken: diff.shown.registered },
      });
    }
    const list = names.map((n) => `"${n}"`).join(', ');
    if (token.roomBefore) {
      return warn(`the token dispatches ${list}, but room "${room}" is already live (since ${new Date(token.roomBefore.createdAtMs).toISOString()}, ${token.roomBefore.numParticipants} participant(s)): the server ignores the token's dispatch`, {
        cause: 'token-room-already-live',
        details: ["a token's room configuration (and its agent dispatch) takes effect only when that join creates the room"],
        fix: { text: 'use a fresh room name per session, or dispatch with CreateDispatch from the backend when the room may already exist' },
        evidence,
      });
    }
    const fresh = token.roomBefore === null ? ` into room "${room}", which is not live yet: the join creates it, so the dispatch applies` : ` into room "${room ?? ''}"`;
    return pass(`the token dispatches ${list}${fresh}`, { evidence });
  },
};
