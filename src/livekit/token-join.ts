/**
 * The app's user, played by the doctor: join with the token the app handed out and watch for an agent
 * participant, the way the frontend would see one arrive.
 */
import { agentNameOf } from './server-api.js';
import { joinRoom, loadRtc, type JoinedRoom } from './participant.js';

export interface AgentArrival {
  identity: string;
  /** `lk.agent.name` / `lk.agent_name`; undefined when the agent set none. */
  agentName?: string;
  /** Since the doctor's join completed. */
  afterJoinMs: number;
}

export interface TokenJoin {
  joined: JoinedRoom;
  /** Time `Room.connect` took. */
  joinMs: number;
  agent?: AgentArrival;
  /** Agents that were already in the room when the doctor arrived. */
  agentsAlreadyThere: AgentArrival[];
}

const POLL_MS = 100;

/** Joins, then waits up to `waitMs` for an AGENT participant. The caller leaves (`joined.leave()`). */
export async function joinAndWaitForAgent(
  url: string,
  token: string,
  opts: { joinTimeoutMs: number; waitMs: number; signal?: AbortSignal },
): Promise<TokenJoin> {
  const { ParticipantKind } = loadRtc();
  const started = performance.now();
  const joined = await joinRoom(url, token, { timeoutMs: opts.joinTimeoutMs, autoSubscribe: false, signal: opts.signal });
  const joinedAt = performance.now();
  const agents = () =>
    [...joined.room.remoteParticipants.values()]
      .filter((p) => p.kind === ParticipantKind.AGENT)
      .map((p) => ({ identity: p.identity, agentName: agentNameOf(p.attributes ?? {}), afterJoinMs: Math.round(performance.now() - joinedAt) }));
  const result: TokenJoin = { joined, joinMs: Math.round(joinedAt - started), agentsAlreadyThere: agents().map((a) => ({ ...a, afterJoinMs: 0 })) };
  if (result.agentsAlreadyThere.length) {
    result.agent = result.agentsAlreadyThere[0];
    return result;
  }
  const deadline = joinedAt + opts.waitMs;
  // Bounded polling: the participant map is local state, so a 100 ms poll costs nothing and cannot miss a join.
  while (performance.now() < deadline && !opts.signal?.aborted) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    const [first] = agents();
    if (first) {
      result.agent = first;
      break;
    }
  }
  return result;
}
