/**
 * `talk`'s accuracy: its per-turn reply latency (end of the user's speech → first reply audio, both as the
 * doctor's user sees them) against the conversational fixture's own timestamps of the same turn (the last
 * speech-level frame it received, the first reply frame its TTS produced), on this machine's one clock.
 * The difference is the audio path both ways (the user's speech reaching the agent, the reply reaching the
 * user): what a real user hears on top of the agent's own processing.
 */
import type { LiveKitServer } from '../test/harness/server.js';
import { startAgent } from '../test/harness/agents.js';
import type { TalkReport } from '../src/talk/types.js';
import { fmtSpread, spread, timedRun } from './measure.js';

interface FixtureTurn {
  userSpeechEndMs: number;
  replyFirstFrameMs?: number;
}

const TURNS = 8;

export async function talkAccuracyRows(server: LiveKitServer, env: NodeJS.ProcessEnv, cli: string, connection: string[]): Promise<[string, string, string][]> {
  const { key, secret } = server.keys[0]!;
  const agent = await startAgent({ framework: 'python', url: server.url, apiKey: key, apiSecret: secret, agentName: `bench-talk-${process.pid}`, behaviour: 'healthy' });
  try {
    const run = await timedRun(process.execPath, [cli, ...connection, 'talk', '--agent', agent.agentName, '--turns', String(TURNS), '--wait', '8', '--json'], { env, timeoutMs: 240_000 });
    if (run.code !== 0) throw new Error(`talk exited ${run.code}: ${run.stderr.slice(-2000)}`);
    const report = JSON.parse(run.stdout) as TalkReport;
    const fixture = [...agent.logs().matchAll(/FIXTURE_TURN (\{.*\})/g)].map((m) => JSON.parse(m[1]!) as FixtureTurn);
    const doctor: number[] = [];
    const own: number[] = [];
    const diff: number[] = [];
    const uplink: number[] = [];
    const downlink: number[] = [];
    for (const t of report.turns.filter((x) => !x.warmUp && x.replyAudioAtMs !== undefined)) {
      const speechEnd = report.originUnixMs + t.speechEndMs;
      const heard = report.originUnixMs + t.replyAudioAtMs!;
      // The fixture's turn is the one whose received end of speech is closest after the doctor's.
      const match = fixture.filter((f) => f.replyFirstFrameMs !== undefined).sort((a, b) => Math.abs(a.userSpeechEndMs - speechEnd) - Math.abs(b.userSpeechEndMs - speechEnd))[0];
      if (!match || Math.abs(match.userSpeechEndMs - speechEnd) > 1_000) continue;
      doctor.push(t.latency.reply!);
      own.push(match.replyFirstFrameMs! - match.userSpeechEndMs);
      diff.push(t.latency.reply! - (match.replyFirstFrameMs! - match.userSpeechEndMs));
      uplink.push(match.userSpeechEndMs - speechEnd);
      downlink.push(heard - match.replyFirstFrameMs!);
    }
    if (!diff.length) throw new Error('no turn of talk could be paired with a FIXTURE_TURN line');
    const signed = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(0)} ms`;
    const d = spread(diff);
    return [
      [`d. talk reply latency (doctor, ${TURNS - 1} turns)`, fmtSpread(spread(doctor)), 'end of speech → first reply audio, as the user hears it'],
      ['d. the fixture\'s own reply latency', fmtSpread(spread(own)), 'last speech frame received → first reply frame produced'],
      ['d. difference doctor − fixture', fmtSpread(d, signed), Math.abs(d.median) <= 60 ? 'within ±60 ms at p50' : `${signed(d.median)} at p50: the audio path both ways, below`],
      ['d.   user speech → agent (uplink)', fmtSpread(spread(uplink), signed), ''],
      ['d.   agent reply → user (downlink)', fmtSpread(spread(downlink), signed), ''],
    ];
  } finally {
    await agent.stop().catch(() => {});
  }
}
