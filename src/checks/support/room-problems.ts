/**
 * What is wrong with the user's room, from what the server shows and what the app meant to do.
 * Pure, so each cause is tested on plain data as well as against a real server.
 */
import type { Remedy } from '../../core/model.js';
import type { DispatchView, ParticipantView, RoomView } from '../../livekit/server-api.js';

/** What the server shows of one room. */
export interface RoomLook {
  room?: RoomView;
  dispatches: DispatchView[];
  participants: ParticipantView[];
}

export type RoomCause =
  | 'room-existed-before-token-dispatch'
  | 'dispatch-other-room'
  | 'token-other-room'
  | 'room-recreated-after-dispatch'
  | 'dispatched-agent-missing'
  | 'duplicate-agents'
  | 'user-microphone-missing'
  | 'user-microphone-muted';

export interface RoomProblem {
  cause: RoomCause;
  message: string;
  fix: Remedy;
}

export interface RoomInput {
  name: string;
  mine: RoomLook;
  /** The room the backend dispatched to (--dispatch-room), when it differs. */
  other?: RoomLook;
  dispatchRoom?: string;
  token?: { room?: string; agents: string[]; issuedAtMs?: number };
  /** When the backend created its dispatch (--dispatched-at). */
  dispatchedAtMs?: number;
  expectedAgent?: string;
}

/** A token is minted just before its join; more than this earlier, the room was not made by that join. */
const CREATION_SLACK_MS = 2_000;
const iso = (ms: number) => new Date(ms).toISOString();

export function roomProblems(input: RoomInput): RoomProblem[] {
  const out: RoomProblem[] = [];
  const room = input.mine.room;
  const { token } = input;
  if (input.dispatchRoom && input.dispatchRoom !== input.name) {
    const there = input.other?.participants.filter((p) => p.isAgent).map((p) => `"${p.agentName ?? ''}"`) ?? [];
    out.push({
      cause: 'dispatch-other-room',
      message: `the dispatch went to room "${input.dispatchRoom}" but the user is in "${input.name}"${there.length ? `; agent ${there.join(', ')} sits in "${input.dispatchRoom}"` : input.other?.room ? '' : ` ("${input.dispatchRoom}" is not live)`}`,
      fix: { text: 'dispatch into the room the frontend joins: let one place (the backend) choose the room name and hand it to both the token and CreateDispatch' },
    });
  }
  if (token?.room && token.room !== input.name) {
    out.push({
      cause: 'token-other-room',
      message: `the token joins room "${token.room}", not "${input.name}": the user and the dispatch are in different rooms`,
      fix: { text: 'mint the token for the same room the agent is dispatched to' },
    });
  }
  if (room && token?.agents.length && (!token.room || token.room === input.name)) {
    const listed = new Set(input.mine.dispatches.map((d) => d.agentName));
    const missing = token.agents.filter((a) => !listed.has(a));
    const before = token.issuedAtMs !== undefined && room.createdAtMs && room.createdAtMs < token.issuedAtMs - CREATION_SLACK_MS;
    if (before || missing.length) {
      const when = before ? `was created at ${iso(room.createdAtMs)}, before the token was issued (${iso(token.issuedAtMs!)})` : 'exists';
      out.push({
        cause: 'room-existed-before-token-dispatch',
        message: `room "${input.name}" ${when}, so the token's dispatch of ${token.agents.map((a) => `"${a}"`).join(', ')} was ignored${missing.length ? `: ListDispatch shows no dispatch for ${missing.map((a) => `"${a}"`).join(', ')}` : ''}`,
        fix: { text: 'a token dispatches only when its join creates the room: use a fresh room name per session, or CreateDispatch from the backend when the room may exist' },
      });
    }
  }
  const dispatchTarget = input.dispatchRoom ?? input.name;
  if (room && dispatchTarget === input.name) {
    const older = input.mine.dispatches.find((d) => d.agentName && d.createdAtMs && d.createdAtMs < room.createdAtMs - CREATION_SLACK_MS);
    const givenEarlier = input.dispatchedAtMs !== undefined && input.dispatchedAtMs < room.createdAtMs - CREATION_SLACK_MS;
    if (older || givenEarlier) {
      const at = older?.createdAtMs ?? input.dispatchedAtMs!;
      out.push({
        cause: 'room-recreated-after-dispatch',
        message: `room "${input.name}" was (re)created at ${iso(room.createdAtMs)}, after the dispatch at ${iso(at)}: the dispatch belonged to an earlier room of that name, which closed (empty timeout ${room.emptyTimeoutS} s)`,
        fix: { text: 'dispatch after the user joined, or keep the room alive (a longer empty_timeout when creating it); the agent does not keep a room open' },
      });
    }
  }
  const agents = input.mine.participants.filter((p) => p.isAgent);
  if (room && input.expectedAgent !== undefined && agents.length && !agents.some((a) => a.agentName === input.expectedAgent)) {
    out.push({
      cause: 'dispatched-agent-missing',
      message: `the agents in room "${input.name}" are ${agents.map((a) => `"${a.agentName ?? ''}"`).join(', ')}, not "${input.expectedAgent}"`,
      fix: { text: 'another worker took the room (often an unnamed worker taking the automatic dispatch); check which names your workers register with' },
    });
  }
  out.push(...duplicateAgents(input.name, input.mine), ...userMicrophones(input.name, input.mine));
  return out;
}

/** Every CreateDispatch adds an agent: two of one name in a room answer the user twice. */
function duplicateAgents(name: string, look: RoomLook): RoomProblem[] {
  const byName = new Map<string, { participants: string[]; dispatches: string[] }>();
  const entry = (agentName: string) => byName.get(agentName) ?? byName.set(agentName, { participants: [], dispatches: [] }).get(agentName)!;
  for (const p of look.participants) if (p.isAgent && p.agentName) entry(p.agentName).participants.push(p.identity);
  for (const d of look.dispatches) if (d.agentName) entry(d.agentName).dispatches.push(d.id);
  const out: RoomProblem[] = [];
  for (const [agentName, seen] of byName) {
    if (seen.participants.length < 2 && seen.dispatches.length < 2) continue;
    const what = [seen.participants.length > 1 && `${seen.participants.length} agent participants (${seen.participants.join(', ')})`, seen.dispatches.length > 1 && `${seen.dispatches.length} dispatches (${seen.dispatches.join(', ')})`].filter(Boolean).join(' and ');
    out.push({
      cause: 'duplicate-agents',
      message: `room "${name}" has ${what} for agent "${agentName}": each dispatch starts its own session, so the user hears two agents`,
      fix: { text: 'dispatch once per room: in the token (RoomConfiguration.agents) or with CreateDispatch, not both, and not again on every token request or reconnect' },
    });
  }
  return out;
}

/** The agent hears only what a user publishes: a human without an unmuted microphone is never heard. */
function userMicrophones(name: string, look: RoomLook): RoomProblem[] {
  const humans = look.participants.filter((p) => p.kind === 'STANDARD' && !p.identity.startsWith('livekit-doctor-'));
  const out: RoomProblem[] = [];
  for (const p of humans) {
    const mics = p.tracks.filter((t) => t.type === 'audio' && (t.source === 'microphone' || t.source === 'unknown'));
    if (!mics.length) {
      out.push({
        cause: 'user-microphone-missing',
        message: `participant "${p.identity}" in room "${name}" publishes no microphone track${p.tracks.length ? ` (only ${p.tracks.map((t) => `${t.type} ${t.source}`).join(', ')})` : ''}: the agent cannot hear what is never sent`,
        fix: { text: "enable the microphone in the frontend (room.localParticipant.setMicrophoneEnabled(true), or audio: true in LiveKitRoom) after a user gesture, and check the browser's permission prompt; the token must allow publishing the microphone" },
      });
    } else if (mics.every((t) => t.muted)) {
      out.push({
        cause: 'user-microphone-muted',
        message: `participant "${p.identity}" in room "${name}" publishes its microphone muted: the agent receives silence`,
        fix: { text: 'unmute the microphone track in the frontend (track.unmute() / setMicrophoneEnabled(true)); a UI that starts muted must say so' },
      });
    }
  }
  return out;
}
