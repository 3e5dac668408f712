import { toDbfs } from '../../livekit/audio.js';
import { ms } from '../support/doctor-room.js';
import { conversationOf } from '../support/conversation.js';
import { conversationDeadline, voiceConversation } from '../support/conversation-checks.js';
import { fail, pass, type Check } from '../check.js';

export const agentSpeaks: Check = {
  id: 'agent.speaks',
  title: 'Your agent speaks (audio heard by a listener)',
  needs: ['agent.joined'],
  deadlineMs: conversationDeadline,
  appliesTo: voiceConversation,
  async run(ctx) {
    const d = ctx.facts.agentDispatch!;
    const conv = conversationOf(ctx);
    await conv.firstTurn();
    const agent = conv.facts.agentIdentity;
    const log = conv.current();
    const tracks = log.audioTracks.filter((t) => t.identity === agent);
    const first = log.speech.find((r) => r.identity === agent);
    const maxRms = Math.max(0, ...tracks.map((t) => t.maxRms));
    const evidence = {
      listener: conv.facts.listener,
      agent,
      trackSid: tracks[0]?.trackSid,
      maxRms: Number(maxRms.toFixed(4)),
      dbfs: toDbfs(maxRms),
      frames: tracks.reduce((n, t) => n + t.frames, 0),
      speechFrames: log.speech.filter((r) => r.identity === agent).reduce((n, r) => n + r.frames, 0),
    };
    if (!first) {
      const why = tracks.length ? `its audio track ${tracks[0]!.trackSid} carried no speech-level audio (peak ${evidence.dbfs.toFixed(1)} dBFS over ${evidence.frames} frames)` : 'it published no audio track';
      return fail(`${agent} joined but was silent for ${(ctx.options.waitMs / 1000).toFixed(0)} s: ${why}`, {
        cause: 'agent-silent',
        details: [`the doctor spoke ${conv.facts.speechFile.endsWith('speech-sample.wav') ? 'its speech sample' : conv.facts.speechFile} into the room and listened before and after`],
        fix: { text: "the agent's media pipeline fails: check its TTS/LLM/STT API keys and logs, and that it publishes its audio track" },
        evidence,
      });
    }
    ctx.timeline.add('listener', 'first-audio', { rms: evidence.maxRms });
    return pass(`first speech-level audio ${ms(first.startMs - d.sentAtMs)} after the dispatch, peak ${evidence.dbfs.toFixed(1)} dBFS`, {
      evidence: { ...evidence, firstAudioAfterDispatchMs: Math.round(first.startMs - d.sentAtMs) },
    });
  },
};
