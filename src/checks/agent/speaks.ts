import { randomBytes } from 'node:crypto';
import { JoinError, joinRoom, measureAudio, publishWav } from '../../livekit/participant.js';
import { mintJoinToken } from '../../livekit/tokens.js';
import { ms } from '../support/doctor-room.js';
import { fail, pass, type Check } from '../check.js';

/** About -40 dBFS: well above a silent track's noise floor, well below speech. */
export const SPEECH_RMS = 0.01;

export const agentSpeaks: Check = {
  id: 'agent.speaks',
  title: 'Your agent speaks (audio heard by a listener)',
  needs: ['agent.joined'],
  deadlineMs: (ctx) => ctx.options.waitMs + 2 * ctx.settings.timeoutMs + 5_000,
  appliesTo: (o) => o.agentName !== undefined && !!o.voice,
  async run(ctx) {
    const conn = ctx.connection!;
    const d = ctx.facts.agentDispatch!;
    const agent = ctx.facts.agent!.joined!;
    const identity = `livekit-doctor-listener-${randomBytes(3).toString('hex')}`;
    const token = await mintJoinToken({ apiKey: conn.apiKey, apiSecret: conn.apiSecret, room: d.room, identity, name: 'livekit-doctor listener', canPublish: !!ctx.options.voiceInput, canSubscribe: true });
    let joined;
    try {
      joined = await joinRoom(conn.wsUrl, token, { timeoutMs: ctx.settings.timeoutMs, autoSubscribe: true, signal: ctx.signal });
    } catch (err) {
      if (err instanceof JoinError) return fail(`the listener could not join room ${d.room}: ${err.message}`, { cause: 'listener-join-failed', fix: { text: 'check that the RTC ports are reachable from here' } });
      throw err;
    }
    ctx.cleanup.add(`listener leaves ${d.room}`, () => joined.leave());
    ctx.timeline.add('listener', 'joined', { identity });
    if (ctx.options.voiceInput) {
      const played = await publishWav(joined.room, ctx.options.voiceInput, ctx.signal);
      ctx.timeline.add('listener', 'spoke', { durationMs: played.durationMs });
    }
    const startedAt = ctx.timeline.clock.now();
    const heard = await measureAudio(joined.room, { fromIdentity: agent.identity, minRms: SPEECH_RMS, timeoutMs: ctx.options.waitMs, signal: ctx.signal, stopOnSpeech: true });
    await joined.leave();
    const evidence = { listener: identity, agent: agent.identity, trackSid: heard.trackSid, maxRms: Number(heard.maxRms.toFixed(4)), dbfs: Number(heard.dbfs.toFixed(1)), frames: heard.frames, speechFrames: heard.speechFrames };
    if (heard.firstAudioAtMs === undefined) {
      const why = heard.trackSid ? `its audio track ${heard.trackSid} carried no speech-level audio (peak ${heard.dbfs.toFixed(1)} dBFS over ${heard.frames} frames)` : 'it published no audio track';
      return fail(`${agent.identity} joined but was silent for ${(ctx.options.waitMs / 1000).toFixed(0)} s: ${why}`, {
        cause: 'agent-silent',
        details: ctx.options.voiceInput ? [] : ['if your agent waits for the user to speak first, give --voice-input <wav>'],
        fix: { text: "the agent's media pipeline fails: check its TTS/LLM/STT API keys and logs, and that it publishes its audio track" },
        evidence,
      });
    }
    const firstAudioAtMs = startedAt + heard.firstAudioAtMs;
    ctx.timeline.add('listener', 'first-audio', { rms: evidence.maxRms });
    return pass(`first speech-level audio ${ms(firstAudioAtMs - d.sentAtMs)} after the dispatch, peak ${heard.dbfs.toFixed(1)} dBFS`, {
      evidence: { ...evidence, firstAudioAfterDispatchMs: Math.round(firstAudioAtMs - d.sentAtMs) },
    });
  },
};
