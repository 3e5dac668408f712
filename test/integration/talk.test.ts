/**
 * `talk` against a real livekit-server and the conversational fixture agent (real AgentSession): turns
 * are timed, the first is a warm-up, the percentiles are ordered, an SLO gates the exit code, and the
 * room is gone afterwards.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LiveKitServer } from '../harness/server.js';
import { startAgent, type RunningAgent } from '../harness/agents.js';
import { runCli, connectionArgs } from '../harness/cli.js';
import { expectNoSecrets, expectNothingLeft, startServer, uniqueId } from '../harness/scenarios.js';
import type { TalkReport } from '../../src/talk/types.js';

describe('talk: conversation latency', () => {
  let server: LiveKitServer;
  let agent: RunningAgent;

  beforeAll(async () => {
    server = await startServer();
    const { key, secret } = server.keys[0]!;
    agent = await startAgent({ framework: 'python', url: server.url, apiKey: key, apiSecret: secret, agentName: `talk-${uniqueId()}`, behaviour: 'healthy' });
  }, 120_000);

  afterAll(async () => {
    await agent?.stop().catch(() => {});
    await server?.stop();
  });

  it('5 turns: every turn answered, the warm-up left out, p50 ≤ p90 ≤ max, an HTML picture of the turns', async () => {
    const html = join(mkdtempSync(join(tmpdir(), 'lkd-talk-')), 'talk.html');
    const run = await runCli(['talk', '--agent', agent.agentName, '--turns', '5', '--wait', '6', '--html', html, '--json', ...connectionArgs(server)], { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as TalkReport;
    expect(report.schema).toBe('livekit-doctor/talk@1');
    expect(report.turns).toHaveLength(5);
    expect(report.turns.map((t) => t.warmUp)).toEqual([true, false, false, false, false]);
    expect(report.turns.every((t) => t.answered)).toBe(true);
    expect(report.turns.every((t) => t.transcript === 'hello can you hear me this is a test')).toBe(true);
    const reply = report.stats.reply!;
    expect(reply.count).toBe(4);
    expect(reply.p50).toBeGreaterThan(0);
    expect(reply.p50).toBeLessThanOrEqual(reply.p90);
    expect(reply.p90).toBeLessThanOrEqual(reply.max);
    // The fixture answers after its VAD end-of-speech (0.5 s endpointing): never faster than that.
    expect(reply.min).toBeGreaterThan(300);
    expect(report.stats.thinking!.p50).toBeLessThan(reply.p50);
    expect(report.cleanup.failed).toEqual([]);
    expect(report.cleanup.deleted).toEqual([report.room]);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page.match(/<circle/g)?.length).toBeGreaterThanOrEqual(5);
    console.log(`[talk] reply p50 ${reply.p50} ms, p90 ${reply.p90} ms, max ${reply.max} ms; thinking p50 ${report.stats.thinking!.p50} ms`);
    expectNoSecrets(run, server);
    await expectNothingLeft(server);
  }, 150_000);

  it('--slo that the agent cannot meet exits 1 and says which term was violated; the terminal output shows the turns', async () => {
    const run = await runCli(['talk', '--agent', agent.agentName, '--turns', '2', '--wait', '6', '--slo', 'reply.p50<1ms', ...connectionArgs(server)], { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toMatch(/✘ SLO reply\.p50<1ms violated: reply\.p50 = \d+ ms, not < 1 ms/);
    expect(run.stdout).toMatch(/ {2}1\* █+\|[·tx]*R/);
    expect(run.stdout).toContain('Cleanup: room livekit-doctor-talk-');
    await expectNothingLeft(server);
  }, 150_000);

  it('an agent nobody serves: exit 1 with one line naming the next step, nothing left behind', async () => {
    const run = await runCli(['talk', '--agent', `nobody-${uniqueId()}`, '--turns', '1', '--wait', '2', '--json', ...connectionArgs(server)], { timeoutMs: 60_000 });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as TalkReport;
    expect(report.error).toMatch(/no agent participant "nobody-.*" joined room .* within 2 s; `livekit-doctor check --agent nobody-/);
    await expectNothingLeft(server);
  }, 60_000);

  it('bad flags are one line and exit 2 before anything is created', async () => {
    for (const [args, message] of [
      [['--turns', '0'], /--turns "0" must be a whole number from 1 to 50/],
      [['--slo', 'reply.p51<1s'], /--slo: "reply\.p51<1s": unknown statistic "p51"/],
      [['--voice-input', '/no/such.wav'], /--voice-input \/no\/such\.wav: no such file/],
    ] as const) {
      const run = await runCli(['talk', '--agent', 'x', ...args, ...connectionArgs(server)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
    await expectNothingLeft(server);
  });
});
