import { describe, it, expect } from 'vitest';
import { roomProblems } from '../../src/checks/support/room-problems.js';
import { inspectToken } from '../../src/livekit/token-inspect.js';
import { mintJoinToken } from '../../src/livekit/tokens.js';
import type { DispatchView, ParticipantView, RoomView } from '../../src/livekit/server-api.js';

const T = Date.UTC(2026, 0, 1, 12, 0, 0);
const room: RoomView = { name: 'r', sid: 'RM_1', numParticipants: 2, numPublishers: 1, createdAtMs: T, emptyTimeoutS: 300, departureTimeoutS: 20, metadata: '' };
const person = (identity: string, tracks: ParticipantView['tracks']): ParticipantView => ({ identity, name: '', sid: `PA_${identity}`, kind: 'STANDARD', state: 'ACTIVE', isAgent: false, attributes: {}, tracks, joinedAtMs: T });
const agent = (identity: string, agentName: string): ParticipantView => ({ ...person(identity, []), kind: 'AGENT', isAgent: true, agentName });
const mic = (muted: boolean) => ({ sid: 'TR_m', type: 'audio', source: 'microphone', muted, name: '' });
const dispatch = (id: string, agentName: string): DispatchView => ({ id, agentName, room: 'r', metadata: '', createdAtMs: T + 10, jobs: [] });
const causes = (participants: ParticipantView[], dispatches: DispatchView[] = []) => roomProblems({ name: 'r', mine: { room, dispatches, participants } }).map((p) => p.cause);

describe("the user's side of the room", () => {
  it('a person with no microphone track, or a muted one, is named; one who publishes is fine; the doctor itself is not a user', () => {
    expect(causes([person('alice', [])])).toEqual(['user-microphone-missing']);
    expect(causes([person('alice', [{ sid: 'TR_v', type: 'video', source: 'camera', muted: false, name: '' }])])).toEqual(['user-microphone-missing']);
    expect(causes([person('alice', [mic(true)])])).toEqual(['user-microphone-muted']);
    expect(causes([person('alice', [mic(false)])])).toEqual([]);
    expect(causes([person('livekit-doctor-user-1', [])])).toEqual([]);
  });

  it('the same agent twice, as participants or as dispatches, names them all', () => {
    const [p] = roomProblems({ name: 'r', mine: { room, dispatches: [dispatch('AD_1', 'bot'), dispatch('AD_2', 'bot')], participants: [agent('agent-AJ_1', 'bot'), agent('agent-AJ_2', 'bot')] } });
    expect(p!.cause).toBe('duplicate-agents');
    for (const id of ['AD_1', 'AD_2', 'agent-AJ_1', 'agent-AJ_2']) expect(p!.message).toContain(id);
    expect(causes([agent('agent-AJ_1', 'bot')], [dispatch('AD_1', 'bot')])).toEqual([]);
  });

  it('a token whose publish sources leave out the microphone is a warning', async () => {
    const jwt = await mintJoinToken({ apiKey: 'APIk', apiSecret: 'secret-secret-secret-secret-secret', room: 'r', identity: 'u' });
    const [head, , sig] = jwt.split('.');
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
    payload.video.canPublishSources = ['camera'];
    const forged = `${head}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
    const codes = inspectToken(forged, {}).problems.map((p) => p.code);
    expect(codes).toContain('cannot-publish-microphone');
    expect(inspectToken(jwt, {}).problems.map((p) => p.code)).not.toContain('cannot-publish-microphone');
  });
});
