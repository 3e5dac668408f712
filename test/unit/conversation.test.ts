import { describe, it, expect } from 'vitest';
import { analyze } from '../../src/findings/analyze.js';
import type { CheckResult, CheckStatus } from '../../src/core/model.js';
import type { ConversationLog } from '../../src/livekit/conversation.js';
import { fillTurn, lastSpeechOffsetMs, type ConversationTurn } from '../../src/livekit/turn.js';

const AGENT = 'agent-AJ_1';
const USER = 'livekit-doctor-user-1';
const emptyLog = (): ConversationLog => ({ states: [], transcripts: [], speech: [], audioTracks: [], participants: [] });
const turnAt = (): ConversationTurn => ({ n: 1, speechStartMs: 1000, speechEndMs: 3600, micTrackSid: 'TR_user', greetingHeard: false });

describe('a turn read from the conversation log', () => {
  it('takes thinking, the final transcript of the user track, the reply text and the first reply audio after the speech', () => {
    const log = emptyLog();
    log.states.push({ identity: AGENT, state: 'listening', atMs: 500 }, { identity: AGENT, state: 'thinking', atMs: 4400 }, { identity: AGENT, state: 'speaking', atMs: 4600 });
    log.transcripts.push(
      { fromIdentity: USER, trackId: 'TR_user', final: false, segmentId: 'S1', text: 'hello can', atMs: 4300, complete: true },
      { fromIdentity: USER, trackId: 'TR_user', final: true, segmentId: 'S1', text: 'hello can you hear me', atMs: 4350, complete: true },
      { fromIdentity: AGENT, trackId: 'TR_agent', final: false, segmentId: 'S2', text: 'You said: hello', atMs: 4680, complete: false },
    );
    log.audioTracks.push({ identity: AGENT, trackSid: 'TR_agent', subscribedAtMs: 400, frames: 900, maxRms: 0.17 });
    log.speech.push({ identity: AGENT, trackSid: 'TR_agent', startMs: 200, lastMs: 900, frames: 60 }, { identity: AGENT, trackSid: 'TR_agent', startMs: 4650, lastMs: 6000, frames: 130 });
    const turn = turnAt();
    fillTurn(turn, log, AGENT, 7000);
    expect(turn.thinkingAtMs).toBe(4400);
    expect(turn.speakingAtMs).toBe(4600);
    expect(turn.transcript).toBe('hello can you hear me');
    expect(turn.transcriptAtMs).toBe(4300);
    // The greeting at 200 ms is not a reply; the reply text was still streaming.
    expect(turn.replyAudioAtMs).toBe(4650);
    expect(turn.replyText).toBe('You said: hello…');
    expect(turn.answeredBy).toEqual([AGENT]);
    expect(turn.statesAfterSpeech).toEqual(['thinking', 'speaking']);
  });

  it('a second agent answering is named in answeredBy; speech before the user finished is not a reply', () => {
    const log = emptyLog();
    log.speech.push(
      { identity: AGENT, trackSid: 'TR_a', startMs: 2000, lastMs: 2600, frames: 40 },
      { identity: 'agent-AJ_2', trackSid: 'TR_b', startMs: 4700, lastMs: 5200, frames: 40 },
    );
    const turn = turnAt();
    fillTurn(turn, log, AGENT, 6000);
    expect(turn.replyAudioAtMs).toBeUndefined();
    expect(turn.answeredBy).toEqual(['agent-AJ_2']);
  });

  it('the end of speech is the last speech-level frame, not the end of the file', () => {
    const rate = 16000;
    const samples = new Int16Array(rate); // 1 s: 0.5 s of tone, then silence
    for (let i = 0; i < rate / 2; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate));
    expect(lastSpeechOffsetMs({ sampleRate: rate, channels: 1, samples, frames: rate, durationMs: 1000 })).toBe(500);
  });
});

const result = (id: string, status: CheckStatus, cause?: string, evidence?: Record<string, unknown>): CheckResult => ({
  id, title: `title of ${id}`, status, summary: `${id} ${status}`, required: true, startedAtMs: 0, durationMs: 1, ...(cause ? { cause } : {}), ...(evidence ? { evidence } : {}),
});
const registered = (edition: string) => result('probe.registered', 'pass', undefined, { server: { edition } });
const joinedAndTalking = (...more: CheckResult[]) => [result('agent.joined', 'pass'), result('agent.session-started', 'pass'), result('agent.subscribed', 'pass'), ...more];

describe('conversation findings', () => {
  it('a deaf agent on a self-hosted server points at Cloud-only features first; on Cloud at its STT', () => {
    const deaf = [result('agent.hears', 'fail', 'agent-deaf'), result('agent.speaks', 'pass', undefined, { trackSid: 'TR_a' })];
    expect(analyze([registered('Standard'), ...joinedAndTalking(...deaf)]).findings[0]!.cause).toBe('cloud-feature-on-self-hosted');
    expect(analyze([registered('Cloud'), ...joinedAndTalking(...deaf)]).findings[0]!.cause).toBe('agent-deaf');
  });

  it('a deaf agent that never published its own track is linked to someone else', () => {
    const run = [registered('Standard'), ...joinedAndTalking(result('agent.hears', 'fail', 'agent-deaf'), result('agent.speaks', 'fail', 'agent-silent', { trackSid: undefined }))];
    const { findings } = analyze(run);
    expect(findings[0]!.cause).toBe('agent-linked-elsewhere');
    // The generic "silent" finding stays out: the conversation step says more.
    expect(findings.map((f) => f.cause)).not.toContain('agent-silent');
  });

  it('not subscribing outranks deafness (the agent cannot hear what it never receives)', () => {
    const run = [registered('Standard'), result('agent.joined', 'pass'), result('agent.session-started', 'pass'), result('agent.subscribed', 'fail', 'agent-not-subscribed'), result('agent.hears', 'fail', 'agent-deaf')];
    const causes = analyze(run).findings.map((f) => f.cause);
    expect(causes[0]).toBe('agent-not-subscribed');
    expect(causes).not.toContain('cloud-feature-on-self-hosted');
  });

  it('two agents answering one turn is a duplicate dispatch', () => {
    const run = joinedAndTalking(result('agent.hears', 'pass'), result('agent.replies', 'pass', undefined, { answeredBy: ['agent-AJ_1', 'agent-AJ_2'] }));
    const f = analyze(run).findings.find((x) => x.cause === 'duplicate-agents');
    expect(f?.evidence.join(' ')).toContain('agent-AJ_1, agent-AJ_2');
    expect(analyze(joinedAndTalking(result('agent.replies', 'pass', undefined, { answeredBy: ['agent-AJ_1'] }))).findings).toEqual([]);
    // Two of one name in the room count even when only one answered in time.
    const named = analyze(joinedAndTalking(result('agent.replies', 'pass', undefined, { answeredBy: ['agent-AJ_1'], agentsNamed: ['agent-AJ_1', 'agent-AJ_2'] }))).findings;
    expect(named[0]?.evidence.join(' ')).toContain('agent participants of that name: agent-AJ_1, agent-AJ_2');
  });

  it.each([
    ['agent.session-started', 'agent-session-not-started'],
    ['agent.session-started', 'agent-hidden'],
    ['agent.replies', 'agent-llm-failed'],
    ['agent.replies', 'agent-tts-failed'],
    ['agent.stays', 'agent-session-closed'],
    ['agent.stays', 'agent-left'],
  ])('%s failing with %s is the top finding', (id, cause) => {
    expect(analyze([result('agent.joined', 'pass'), result(id, 'fail', cause)]).findings[0]?.cause).toBe(cause);
  });
});

describe("the server's log on a participant leaving", () => {
  it('finds the closing reason and how the job ended, for that room and identity only', async () => {
    const { parseServerLog, participantLifecycle } = await import('../../src/evidence/server-log.js');
    const text = [
      '2026-12-01T09:04:23.846Z\tINFO\tlivekit\trtc/participant.go:1475\tparticipant closing\t{"room": "livekit-doctor-a", "participant": "agent-AJ_x1", "reason": "CLIENT_REQUEST_LEAVE", "kind": "AGENT", "sessionDuration": "12.5s"}',
      '2026-12-01T09:04:23.850Z\tINFO\tlivekit\trtc/participant.go:1475\tparticipant closing\t{"room": "other-room", "participant": "agent-AJ_x1", "reason": "ROOM_DELETED", "kind": "AGENT"}',
      '2026-12-01T09:04:23.853Z\tINFO\tlivekit.agents\tagent/worker.go:549\tjob ended\t{"workerID": "AW_1", "agentName": "a", "jobID": "AJ_x1", "status": "JS_FAILED", "error": "agent worker left the room"}',
    ].join('\n');
    const seen = participantLifecycle(parseServerLog(text).entries, 'livekit-doctor-a', 'agent-AJ_x1', 'AJ_x1');
    expect(seen.closing).toMatchObject({ reason: 'CLIENT_REQUEST_LEAVE', kind: 'AGENT', sessionDuration: '12.5s', line: 1 });
    expect(seen.jobEnded).toMatchObject({ status: 'JS_FAILED', error: 'agent worker left the room', line: 3 });
    expect(participantLifecycle(parseServerLog(text).entries, 'livekit-doctor-a', 'someone-else')).toEqual({});
  });
});
