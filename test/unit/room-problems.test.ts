import { describe, it, expect } from 'vitest';
import { roomProblems, type RoomInput } from '../../src/checks/support/room-problems.js';
import { parseEndpointAnswer, EndpointError } from '../../src/evidence/token-endpoint.js';
import type { RoomView, DispatchView, ParticipantView } from '../../src/livekit/server-api.js';

const T = Date.UTC(2026, 0, 1, 12, 0, 0);
const roomView = (createdAtMs: number): RoomView => ({ name: 'r', sid: 'RM_1', numParticipants: 1, numPublishers: 0, createdAtMs, emptyTimeoutS: 300, departureTimeoutS: 20, metadata: '' });
const dispatch = (agentName: string, createdAtMs?: number): DispatchView => ({ id: `AD_${agentName}`, agentName, room: 'r', metadata: '', createdAtMs, jobs: [] });
const agent = (agentName: string): ParticipantView => ({ identity: `agent-${agentName}`, name: '', sid: 'PA', kind: 'AGENT', state: 'ACTIVE', isAgent: true, agentName, attributes: {}, tracks: [], joinedAtMs: T });
const causes = (i: RoomInput) => roomProblems(i).map((p) => p.cause);

describe('roomProblems (pure)', () => {
  it('room created before the token was issued, even if a dispatch of that name is listed', () => {
    const input: RoomInput = { name: 'r', mine: { room: roomView(T - 60_000), dispatches: [dispatch('bot', T - 60_000)], participants: [] }, token: { room: 'r', agents: ['bot'], issuedAtMs: T } };
    expect(causes(input)).toEqual(['room-existed-before-token-dispatch']);
    expect(roomProblems(input)[0]!.message).toContain('before the token was issued');
  });

  it('a room created by the token\'s own join (its dispatch listed, created after issue) is fine', () => {
    expect(causes({ name: 'r', mine: { room: roomView(T + 500), dispatches: [dispatch('bot', T + 500)], participants: [agent('bot')] }, token: { room: 'r', agents: ['bot'], issuedAtMs: T } })).toEqual([]);
  });

  it('token for another room; dispatch to another room; a listed dispatch older than the room; the wrong agent present', () => {
    expect(causes({ name: 'r', mine: { room: roomView(T), dispatches: [], participants: [] }, token: { room: 'other', agents: [] } })).toEqual(['token-other-room']);
    expect(causes({ name: 'r', mine: { dispatches: [], participants: [] }, dispatchRoom: 'b', other: { dispatches: [], participants: [] } })).toEqual(['dispatch-other-room']);
    expect(causes({ name: 'r', mine: { room: roomView(T), dispatches: [dispatch('bot', T - 30_000)], participants: [] } })).toEqual(['room-recreated-after-dispatch']);
    expect(causes({ name: 'r', mine: { room: roomView(T), dispatches: [], participants: [] }, dispatchedAtMs: T - 30_000 })).toEqual(['room-recreated-after-dispatch']);
    expect(causes({ name: 'r', mine: { room: roomView(T), dispatches: [], participants: [agent('')] }, expectedAgent: 'bot' })).toEqual(['dispatched-agent-missing']);
  });
});

describe('parseEndpointAnswer (pure)', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
  it('reads the shapes apps use', () => {
    expect(parseEndpointAnswer(200, 'application/json', JSON.stringify({ serverUrl: 'wss://x', participantToken: jwt }))).toMatchObject({ shape: 'livekit-standard', serverUrl: 'wss://x', jwt });
    expect(parseEndpointAnswer(200, 'text/plain', jwt)).toMatchObject({ shape: 'plain-text', jwt });
  });
  it('quotes an error body redacted, never the token it may contain', () => {
    try {
      parseEndpointAnswer(500, 'text/plain', `invalid token: ${jwt}`);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(EndpointError);
      expect((err as Error).message).not.toContain(jwt);
      expect((err as Error).message).toContain('HTTP 500');
    }
  });
});
