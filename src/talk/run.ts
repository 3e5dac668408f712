/**
 * `talk`: N turns with the agent in one room, as a user would take them, timed on one clock. The room
 * and dispatch are registered for cleanup before they are created (their names are the doctor's), so a
 * lost answer or a Ctrl-C leaves nothing behind.
 */
import { CleanupList, sleep, type CleanupOutcome } from '../core/cleanup.js';
import type { Connection } from '../config/types.js';
import { Conversation, loadSpeech } from '../livekit/conversation.js';
import { doctorRoomName, NO_AUTOMATIC_DISPATCH } from '../livekit/names.js';
import type { ServerApi } from '../livekit/server-api.js';
import { mintJoinToken } from '../livekit/tokens.js';
import { takeTurn, type ConversationTurn } from '../livekit/turn.js';

const POLL_MS = 150;

export interface TalkRunInput {
  connection: Connection;
  api: ServerApi;
  agentName: string;
  turns: number;
  speechFile: string;
  waitMs: number;
  signal: AbortSignal;
  progress(line: string): void;
  /** Called with each turn as it ends. */
  onTurn?(turn: ConversationTurn): void;
}

export interface TalkRun {
  /** Unix ms of the run clock's zero: every turn time + this is wall-clock time on this machine. */
  originUnixMs: number;
  room: string;
  agentIdentity?: string;
  turns: ConversationTurn[];
  error?: string;
  cleanup: { deleted: string[]; failed: string[] };
}

export async function runTalk(input: TalkRunInput): Promise<TalkRun> {
  const { api, connection, signal } = input;
  const cleanup = new CleanupList();
  const room = doctorRoomName('talk');
  const started = performance.now();
  const originUnixMs = Date.now();
  const now = () => Math.round((performance.now() - started) * 10) / 10;
  const run: TalkRun = { originUnixMs, room, turns: [], cleanup: { deleted: [], failed: [] } };
  try {
    cleanup.add(`delete room ${room}`, () => api.deleteRoom(room));
    await api.createRoom(room, { emptyTimeoutS: 60, departureTimeoutS: 10, metadata: JSON.stringify({ createdBy: 'livekit-doctor', purpose: 'talk' }), agents: [NO_AUTOMATIC_DISPATCH] });
    const dispatch = await api.createDispatch(room, input.agentName, { metadata: JSON.stringify({ createdBy: 'livekit-doctor', purpose: 'talk' }) });
    cleanup.add(`delete dispatch ${dispatch.id}`, () => api.deleteDispatch(dispatch.id, room));
    input.progress(`dispatched "${input.agentName}" into ${room}; waiting for it to join…`);
    const agentIdentity = await waitForAgent(api, room, input.agentName, input.waitMs, signal);
    if (!agentIdentity) {
      run.error = signal.aborted ? 'interrupted before the agent joined' : `no agent participant "${input.agentName}" joined room ${room} within ${(input.waitMs / 1000).toFixed(0)} s; \`livekit-doctor check --agent ${input.agentName}\` finds out why`;
      return run;
    }
    run.agentIdentity = agentIdentity;
    const identity = `livekit-doctor-user-${room.slice(-6)}`;
    const token = await mintJoinToken({ apiKey: connection.apiKey, apiSecret: connection.apiSecret, room, identity, name: 'livekit-doctor user', canPublish: true, canSubscribe: true });
    const speech = await loadSpeech(input.speechFile);
    const conv = await Conversation.join(connection.wsUrl, token, { timeoutMs: connection.timeoutMs, signal, now });
    cleanup.add(`the doctor's user leaves ${room}`, () => conv.leave());
    const sinceMs = now();
    for (let n = 1; n <= input.turns && !signal.aborted; n++) {
      input.progress(`turn ${n}/${input.turns}: speaking…`);
      const turn = await takeTurn(conv, { n, agentIdentity, speech, waitMs: input.waitMs, now, signal, sinceMs, untilReplyEnds: true });
      if (signal.aborted) break;
      run.turns.push(turn);
      input.onTurn?.(turn);
    }
    return run;
  } finally {
    const outcomes: CleanupOutcome[] = await cleanup.runAll();
    run.cleanup = {
      deleted: outcomes.filter((o) => o.ok && o.label.startsWith('delete room')).map((o) => o.label.replace('delete room ', '')),
      failed: outcomes.filter((o) => !o.ok).map((o) => `${o.label}: ${o.error ?? 'failed'}`),
    };
  }
}

/** The agent participant of that name in the room (kind AGENT), polled until it joins or the time is up. */
async function waitForAgent(api: ServerApi, room: string, agentName: string, waitMs: number, signal: AbortSignal): Promise<string | undefined> {
  const started = performance.now();
  for (let i = 0; i < Math.ceil(waitMs / POLL_MS) + 1 && performance.now() - started < waitMs && !signal.aborted; i++) {
    const agent = (await api.listParticipants(room)).find((p) => p.isAgent && p.agentName === agentName);
    if (agent) return agent.identity;
    await sleep(POLL_MS, signal).catch(() => {});
  }
  return undefined;
}
