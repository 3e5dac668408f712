import { describe, it, expect } from 'vitest';
import { buildTalkReport } from '../../src/talk/report.js';
import { parseTalkSlo, SloSyntaxError } from '../../src/talk/slo.js';
import { turnPicture } from '../../src/talk/render-terminal.js';
import type { ConversationTurn } from '../../src/livekit/turn.js';

const turn = (n: number, replyAfterMs?: number, thinkingAfterMs?: number): ConversationTurn => ({
  n, speechStartMs: n * 10_000, speechEndMs: n * 10_000 + 2600, greetingHeard: false,
  ...(replyAfterMs !== undefined ? { replyAudioAtMs: n * 10_000 + 2600 + replyAfterMs } : {}),
  ...(thinkingAfterMs !== undefined ? { thinkingAtMs: n * 10_000 + 2600 + thinkingAfterMs } : {}),
});
const input = (turns: ConversationTurn[], slo?: string) => ({
  version: '0.1.0', startedAt: new Date(0), originUnixMs: 0, url: 'ws://127.0.0.1:7880', apiKey: 'API…', agentName: 'a', room: 'livekit-doctor-talk-x', speechFile: 's.wav',
  turns, cleanup: { deleted: ['livekit-doctor-talk-x'], failed: [] }, interrupted: false, ...(slo ? { slo: { expression: slo, terms: parseTalkSlo(slo) } } : {}),
});

describe('talk report', () => {
  it('leaves the warm-up out of the percentiles, which are ordered nearest-rank values of the other turns', () => {
    const report = buildTalkReport(input([turn(1, 5000, 4000), turn(2, 900, 800), turn(3, 1100, 820), turn(4, 1000, 810), turn(5, 1300, 850)]));
    expect(report.turns[0]!.warmUp).toBe(true);
    expect(report.stats.reply).toMatchObject({ count: 4, p50: 1000, p90: 1300, max: 1300, min: 900 });
    expect(report.stats.thinking!.p50).toBe(810);
    expect(report.exitCode).toBe(0);
  });

  it('an unanswered turn or a violated SLO exits 1; a single turn is counted (no warm-up to spare)', () => {
    expect(buildTalkReport(input([turn(1, 900), turn(2)])).exitCode).toBe(1);
    const slo = buildTalkReport(input([turn(1, 900), turn(2, 1500)], 'reply.p50<1200ms'));
    expect(slo.exitCode).toBe(1);
    expect(slo.slo!.verdicts[0]!.message).toBe('reply.p50<1200ms violated: reply.p50 = 1500 ms, not < 1200 ms');
    const one = buildTalkReport(input([turn(1, 900)], 'reply.max<=1s'));
    expect(one.turns[0]!.warmUp).toBe(false);
    expect(one.exitCode).toBe(0);
  });

  it('SLO syntax errors name the term', () => {
    expect(() => parseTalkSlo('speed.p50<1s')).toThrow(SloSyntaxError);
    expect(() => parseTalkSlo('reply.p50<1kg')).toThrow(/unit "kg" is not a time/);
    expect(parseTalkSlo('thinking.p90 <= 0.9s')[0]).toMatchObject({ metric: 'thinking', stat: 'p90', op: '<=', valueMs: 900 });
  });

  it('draws a turn: speech, end of speech, then the marks at their offsets', () => {
    const report = buildTalkReport(input([turn(1, 1000, 800)]));
    expect(turnPicture(report.turns[0]!)).toBe(`${'█'.repeat(26)}|········t·R`);
    expect(turnPicture(buildTalkReport(input([turn(1)])).turns[0]!)).toMatch(/\|· \(no reply\)$/);
  });
});
