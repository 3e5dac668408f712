/**
 * server-log.verdict driven with a fake context: a job the log shows assigned, with no `job ended` and no agent
 * seen yet, is not called a crash until the room was watched for the join (agent.joined is skipped when another
 * worker took the job, so nobody else watched it).
 */
import { describe, it, expect } from 'vitest';
import { serverLogVerdict } from '../../../src/checks/server-log/verdict.js';
import { parseServerLog } from '../../../src/evidence/server-log.js';
import type { ServerLogSource } from '../../../src/checks/facts.js';
import { dispatch, fakeContext, participant } from './fake-context.js';

const ROOM = 'livekit-doctor-verdict';
const AGENT = 'my-agent';

function logSource(lines: () => string[]): ServerLogSource {
  return { name: 'fake.log', read: async () => ({ ...parseServerLog(lines().join('\n')), truncated: false }), close: () => {} };
}

const at = () => new Date().toISOString();
const assigned = () =>
  `${at()}\tINFO\tlivekit.agents\tservice/agentservice.go:412\tassigned job to worker\t${JSON.stringify({ jobID: 'AJ_1', namespace: '', agentName: AGENT, jobType: 'JT_ROOM', room: ROOM, workerID: 'AW_twin' })}`;
const ended = () =>
  `${at()}\tINFO\tlivekit.agents\tagent/worker.go:549\tjob ended\t${JSON.stringify({ workerID: 'AW_twin', agentName: AGENT, jobID: 'AJ_1', room: ROOM, status: 'JS_FAILED', error: 'boom' })}`;

function setup(lines: string[], participantsAfter: number | undefined, waitMs: number) {
  let polls = 0;
  const log = [assigned(), ...lines];
  const ctx = fakeContext({
    options: { waitMs, agentName: AGENT, serverLog: 'fake.log' },
    api: {
      listParticipants: async () => (++polls > (participantsAfter ?? Infinity) ? [participant({ agentName: AGENT })] : []),
      listDispatch: async () => [],
    },
  });
  ctx.facts.agentDispatch = dispatch({ room: ROOM, agentName: AGENT, sentAtMs: ctx.timeline.clock.now() });
  ctx.facts.serverLogSource = logSource(() => log);
  return ctx;
}

describe('server-log.verdict: assigned, not ended, no agent seen yet', () => {
  it('watches the room for the join: the agent that comes on the third poll makes it assigned-and-joined', async () => {
    const ctx = setup([], 2, 10_000);
    const out = await serverLogVerdict.run(ctx);
    expect(out.status, out.summary).toBe('pass');
    expect(out.summary).toMatch(/assigned job AJ_1 .* to worker AW_twin, and the agent joined/);
    expect(ctx.calls.filter((c) => c.method === 'listParticipants').length).toBe(3);
  });

  it('no agent until --wait ends: assigned-not-joined, after watching', async () => {
    const ctx = setup([], undefined, 400);
    const out = await serverLogVerdict.run(ctx);
    expect(out.cause).toBe('assigned-not-joined');
    expect(ctx.calls.some((c) => c.method === 'listParticipants')).toBe(true);
  });

  it('the worker reported the job ended: decided without watching the room', async () => {
    const ctx = setup([ended()], 2, 10_000);
    const out = await serverLogVerdict.run(ctx);
    expect(out.cause).toBe('assigned-not-joined');
    expect(out.summary).toMatch(/reported the job ended \(JS_FAILED: boom\)/);
    expect(ctx.calls.some((c) => c.method === 'listParticipants')).toBe(false);
  });
});
