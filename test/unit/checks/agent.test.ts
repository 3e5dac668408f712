import { describe, it, expect } from 'vitest';
import { agentDispatched } from '../../../src/checks/agent/dispatched.js';
import { agentJobTaken } from '../../../src/checks/agent/job-taken.js';
import { agentJoined } from '../../../src/checks/agent/joined.js';
import type { AgentObservation, JobEvidence, JobEvidenceQuery, JobEvidenceSource } from '../../../src/checks/facts.js';
import type { CheckOptions } from '../../../src/checks/check.js';
import type { DispatchView, ParticipantView, RoomView } from '../../../src/livekit/server-api.js';
import { apiError, audioTrack, dispatch, dispatchView, evidenceOf, fakeContext, participant, runThroughRunner } from './fake-context.js';

const AGENT = 'my-agent';
const ROOM = 'livekit-doctor-agentroom';
const agentDispatch = dispatch({ room: ROOM, dispatchId: 'AD_agent', agentName: AGENT, sentAtMs: 0, answeredAtMs: 5 });
const roomView = (name: string): RoomView => ({ name, sid: 'RM_fake', numParticipants: 0, numPublishers: 0, createdAtMs: 0, emptyTimeoutS: 60, departureTimeoutS: 10, metadata: '' });

/** A room as ListParticipants and ListDispatch show it, poll after poll (the last answer repeats). */
function room(polls: ParticipantView[][], dispatches: DispatchView[] = [dispatchView({ id: 'AD_agent', room: ROOM })]) {
  let i = 0;
  return {
    listParticipants: async () => polls[Math.min(i++, polls.length - 1)] ?? [],
    listDispatch: async () => dispatches,
  };
}

/** An outside evidence source (server log, agent endpoint) that records what it was asked. */
function source(found: JobEvidence[] | Error): JobEvidenceSource & { asked: JobEvidenceQuery[] } {
  const asked: JobEvidenceQuery[] = [];
  const fn = async (q: JobEvidenceQuery) => {
    asked.push(q);
    if (found instanceof Error) throw found;
    return found;
  };
  return Object.assign(fn, { asked });
}

const ourAgent = (extra: Partial<ParticipantView> = {}) => participant({ identity: 'agent-AJ_abc123', agentName: AGENT, ...extra });

describe('agent.dispatched', () => {
  const api = {
    createRoom: async (name: string) => roomView(name),
    createDispatch: async (r: string, agentName: string) => dispatchView({ id: 'AD_agent', room: r, agentName }),
  };

  it('applies only with --agent', () => {
    expect(agentDispatched.appliesTo!({ waitMs: 1000 })).toBe(false);
    expect(agentDispatched.appliesTo!({ waitMs: 1000, agentName: AGENT })).toBe(true);
    const after = agentDispatched.after as (o: object) => string[];
    expect(after({})).toEqual(['agent-http.reachable']);
    expect(after({ probeName: 'my-agent' })).toEqual(['probe.joined', 'agent-http.reachable']);
  });

  it('dispatches the agent to a fresh room: pass, warning that a real session starts; the dispatch is handed on', async () => {
    const ctx = fakeContext({ api, options: { agentName: AGENT } });
    const out = await agentDispatched.run(ctx);
    const d = ctx.facts.agentDispatch!;
    expect(out.status).toBe('pass');
    expect(out.summary).toMatch(new RegExp(`^dispatch AD_agent to "${AGENT}" in room ${d.room} \\(API answered in \\d+ ms\\); this starts a real session of your agent$`));
    expect(evidenceOf(out)).toEqual({ room: d.room, dispatchId: 'AD_agent', agentName: AGENT });
    expect(ctx.calls[0]!.args[1]).toMatchObject({ metadata: JSON.stringify({ createdBy: 'livekit-doctor', purpose: 'agent' }) });
    expect(ctx.cleanup.pending).toEqual([`delete room ${d.room}`]);
  });

  it('CreateDispatch fails with a 500: fail server-error, the call named', async () => {
    const ctx = fakeContext({ api: { ...api, createDispatch: async () => Promise.reject(apiError('CreateDispatch', { status: 500, message: 'internal error' })) }, options: { agentName: AGENT } });
    const out = await agentDispatched.run(ctx);
    expect(out).toMatchObject({ status: 'fail', cause: 'server-error', summary: `dispatching "${AGENT}": 500 internal error` });
    expect(evidenceOf(out)).toEqual({ status: 500 });
    expect(ctx.facts.agentDispatch).toBeUndefined();
  });
});

describe('agent.job-taken', () => {
  const setup = (api: ReturnType<typeof room>, options: Partial<CheckOptions> = {}, sources: JobEvidenceSource[] = []) =>
    fakeContext({ api, options: { agentName: AGENT, waitMs: 400, ...options }, facts: { agentDispatch, jobEvidenceSources: sources } });

  it('the agent participant joins: pass, the job id read from its identity; no outside source is asked', async () => {
    const log = source([]);
    const ctx = setup(room([[], [ourAgent()]]), {}, [log]);
    const out = await agentJobTaken.run(ctx);
    expect(out.status).toBe('pass');
    expect(out.summary).toBe('a worker took job AJ_abc123 (seen as agent participant agent-AJ_abc123)');
    expect(evidenceOf(out)).toMatchObject({ dispatchId: 'AD_agent', room: ROOM, jobs: [{ source: 'participant', jobId: 'AJ_abc123' }], otherAgents: [], serverListsJobs: false, polls: 2 });
    expect(ctx.facts.agent?.joined?.identity).toBe('agent-AJ_abc123');
    expect(log.asked).toEqual([]);
  });

  it('a server that lists jobs (LiveKit Cloud): pass naming the worker and the job status', async () => {
    const listed = dispatchView({ id: 'AD_agent', room: ROOM, jobs: [{ id: 'AJ_abc123', status: 'JS_RUNNING', workerId: 'AW_one', participantIdentity: 'agent-AJ_abc123', error: '' }] });
    const ctx = setup(room([[ourAgent()]], [listed]));
    const out = await agentJobTaken.run(ctx);
    expect(out).toMatchObject({ status: 'pass', summary: 'worker AW_one took job AJ_abc123 (listed by the server (JS_RUNNING))' });
    expect(evidenceOf(out).serverListsJobs).toBe(true);
    expect(ctx.timeline.find('job-listed', 'api')?.detail).toEqual({ jobId: 'AJ_abc123', workerId: 'AW_one', status: 'JS_RUNNING' });
  });

  it("no agent joins, the server's log names the worker: pass from the log", async () => {
    const log = source([{ source: 'server-log', jobId: 'AJ_log1', workerId: 'AW_log1' }]);
    const out = await agentJobTaken.run(setup(room([[]]), {}, [log]));
    expect(out).toMatchObject({ status: 'pass', summary: "worker AW_log1 took job AJ_log1 (from the server's log)" });
    expect(log.asked).toEqual([{ room: ROOM, agentName: AGENT, dispatchId: 'AD_agent', sinceMs: 0 }]);
  });

  it("no agent joins, the agent's endpoint shows active_jobs rising: pass without ids; a failing source is ignored", async () => {
    const broken = source(new Error('log unreadable'));
    const http = source([{ source: 'agent-http', status: 'active_jobs rose from 0 to 1' }]);
    const out = await agentJobTaken.run(setup(room([[]]), {}, [broken, http]));
    expect(out).toMatchObject({ status: 'pass', summary: "a worker took job (id not shown) (from the agent's HTTP endpoint: active_jobs rose from 0 to 1)" });
    expect(broken.asked).toHaveLength(1);
  });

  it('no sign of any taker within --wait: agent-no-job, with the other agent that joined instead', async () => {
    const stranger = participant({ identity: 'agent-AJ_zzz', agentName: 'other-agent' });
    const ctx = setup(room([[stranger]]), {}, [source([])]);
    const started = performance.now();
    const out = await agentJobTaken.run(ctx);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(out).toMatchObject({ status: 'fail', cause: 'agent-no-job' });
    expect(out.summary).toBe(`no sign within 0 s that any worker took the job for "${AGENT}": no agent joined, and the server lists no job`);
    expect(out.details![0]).toBe('another agent joined the room instead: agent-AJ_zzz (agent name "other-agent")');
    expect(out.details![1]).toMatch(/add --server-log or --agent-http/);
    const evidence = evidenceOf(out);
    expect(evidence.polls as number).toBeGreaterThanOrEqual(1);
    expect(evidence.otherAgents).toEqual([expect.objectContaining({ identity: 'agent-AJ_zzz', agentName: 'other-agent' })]);
  });

  it('--worker-id of ours while another worker took it: another-worker-took-job', async () => {
    const log = source([{ source: 'server-log', jobId: 'AJ_abc123', workerId: 'AW_twin' }]);
    const out = await agentJobTaken.run(setup(room([[ourAgent()]]), { workerId: 'AW_mine' }, [log]));
    expect(out).toMatchObject({ status: 'fail', cause: 'another-worker-took-job', summary: 'job AJ_abc123 was taken by worker AW_twin, not by your worker AW_mine: another worker with the same name is running somewhere' });
  });

  it('--worker-id that took it: pass naming it', async () => {
    const log = source([{ source: 'server-log', jobId: 'AJ_abc123', workerId: 'AW_mine' }]);
    const out = await agentJobTaken.run(setup(room([[ourAgent()]]), { workerId: 'AW_mine' }, [log]));
    expect(out).toMatchObject({ status: 'pass', summary: "worker AW_mine took job AJ_abc123 (from the server's log, joined as agent-AJ_abc123)" });
  });

  it('--worker-id, but nothing says which worker: warn worker-id-unknown', async () => {
    const out = await agentJobTaken.run(setup(room([[ourAgent()]]), { workerId: 'AW_mine' }));
    expect(out).toMatchObject({
      status: 'warn',
      cause: 'worker-id-unknown',
      summary: 'a worker took job AJ_abc123 (seen as agent participant agent-AJ_abc123), but this server does not say which worker: cannot compare with AW_mine',
    });
  });

  it('ListParticipants fails: the runner records an error with the classified message', async () => {
    const api = { listParticipants: async () => Promise.reject(apiError('ListParticipants', { status: 401, message: 'invalid token: signature is invalid' })), listDispatch: async () => [] };
    const result = await runThroughRunner(agentJobTaken, setup(api as unknown as ReturnType<typeof room>));
    expect(result).toMatchObject({ status: 'error', cause: 'check-crashed', summary: 'the check itself broke: ListParticipants: 401 token signature rejected (wrong API secret for this key)' });
  });
});

describe('agent.joined', () => {
  const seen = (extra: Partial<NonNullable<AgentObservation['joined']>> = {}): AgentObservation => ({
    joined: { identity: 'agent-AJ_abc123', kind: 'AGENT', agentName: AGENT, seenAtMs: 900, joinAfterDispatchMs: 1234.4, tracks: [{ type: 'audio', source: 'microphone', muted: false }], ...extra },
    otherAgents: [],
    jobs: [{ source: 'participant', jobId: 'AJ_abc123' }],
    polls: 3,
    serverListsJobs: false,
  });
  const setup = (api: Partial<ReturnType<typeof room>>, agent?: AgentObservation) =>
    fakeContext({ api, options: { agentName: AGENT, waitMs: 1000 }, facts: { agentDispatch, agent } });

  it('already seen by agent.job-taken, with its audio track: pass on the server\'s clock, no further call', async () => {
    const ctx = setup({}, seen());
    const out = await agentJoined.run(ctx);
    expect(out).toMatchObject({ status: 'pass', summary: `agent-AJ_abc123 joined as AGENT "${AGENT}" 1234 ms after the dispatch (server's clock); 1 audio track published` });
    expect(evidenceOf(out)).toEqual({ identity: 'agent-AJ_abc123', kind: 'AGENT', agentName: AGENT, joinAfterDispatchMs: 1234, tracks: [{ type: 'audio', source: 'microphone', muted: false }] });
    expect(ctx.calls).toEqual([]);
  });

  it('joined without a track yet: the track that appears a moment later is counted', async () => {
    const ctx = setup(room([[ourAgent({ tracks: [audioTrack] })]]), seen({ tracks: [] }));
    const out = await agentJoined.run(ctx);
    expect(out.summary).toMatch(/; 1 audio track published$/);
    expect(ctx.calls.map((c) => c.method)).toEqual(['listParticipants']);
  });

  it('joined and never publishes within 1 s: still a pass, saying so; the join time seen by polling', async () => {
    const ctx = setup(room([[ourAgent()]]), seen({ tracks: [], joinAfterDispatchMs: undefined }));
    const out = await agentJoined.run(ctx);
    expect(out).toMatchObject({ status: 'pass', summary: `agent-AJ_abc123 joined as AGENT "${AGENT}" 900 ms after the dispatch (seen by polling, ±150 ms); no audio track within 1 s of joining` });
    expect(ctx.calls).toHaveLength(5);
  });

  it('not seen yet: the room is watched and the join found', async () => {
    const ctx = setup(room([[], [ourAgent({ tracks: [audioTrack] })]]));
    const out = await agentJoined.run(ctx);
    expect(out.status).toBe('pass');
    expect(out.summary).toMatch(/^agent-AJ_abc123 joined as AGENT "my-agent" \d+ ms after the dispatch \(seen by polling, ±150 ms\); 1 audio track published$/);
    expect(ctx.facts.agent?.polls).toBe(2);
  });

  it('a job was taken but no agent joined within the grace: agent-crashed-before-join, naming job and worker', async () => {
    const taken: AgentObservation = { otherAgents: [], jobs: [{ source: 'server-log', jobId: 'AJ_log1', workerId: 'AW_log1' }], polls: 3, serverListsJobs: false };
    const ctx = setup(room([[]]), taken);
    const out = await agentJoined.run(ctx);
    expect(out).toMatchObject({ status: 'fail', cause: 'agent-crashed-before-join' });
    expect(out.summary).toMatch(new RegExp(`^job AJ_log1 was taken by worker AW_log1, but no agent participant "${AGENT}" joined room ${ROOM} within \\d+ s of the dispatch$`));
    expect(out.fix!.text).toMatch(/entrypoint\/prewarm logs/);
    expect(evidenceOf(out)).toEqual({ jobs: taken.jobs });
  });

  it('ListParticipants fails while looking for the track: the runner records an error', async () => {
    const api = { listParticipants: async () => Promise.reject(apiError('ListParticipants', new DOMException('The operation timed out.', 'TimeoutError'))) };
    const result = await runThroughRunner(agentJoined, setup(api, seen({ tracks: [] })));
    expect(result).toMatchObject({ status: 'error', cause: 'check-crashed', summary: 'the check itself broke: ListParticipants: The operation timed out.' });
  });
});
