import { describe, it, expect } from 'vitest';
import { probeDispatched } from '../../../src/checks/probe/dispatched.js';
import { probeJobReceived, SELECTION_WINDOW_MS } from '../../../src/checks/probe/job-received.js';
import { probeJobAssigned } from '../../../src/checks/probe/job-assigned.js';
import { probeJoined } from '../../../src/checks/probe/joined.js';
import { DeadlineError } from '../../../src/core/cleanup.js';
import { fixFor } from '../../../src/livekit/classify.js';
import { NO_AUTOMATIC_DISPATCH } from '../../../src/livekit/names.js';
import type { RoomView } from '../../../src/livekit/server-api.js';
import { apiError, dispatch, dispatchView, evidenceOf, fakeContext, FakeProbeWorker, job, participant, runThroughRunner } from './fake-context.js';

const PROBE = 'livekit-doctor-probe-fake';
const roomView = (name: string): RoomView => ({ name, sid: 'RM_fake', numParticipants: 0, numPublishers: 0, createdAtMs: 0, emptyTimeoutS: 60, departureTimeoutS: 10, metadata: '' });

describe('probe.dispatched', () => {
  const api = () => ({
    createRoom: async (name: string) => roomView(name),
    createDispatch: async (room: string, agentName: string) => dispatchView({ id: 'AD_probe1', room, agentName }),
    deleteRoom: async () => {},
    deleteDispatch: async () => {},
  });

  it('creates a fresh room without automatic dispatch and dispatches the probe; both are registered for cleanup', async () => {
    const ctx = fakeContext({ api: api(), facts: { probeName: PROBE } });
    const out = await probeDispatched.run(ctx);
    expect(out.status).toBe('pass');
    const d = ctx.facts.probeDispatch!;
    expect(d.room).toMatch(/^livekit-doctor-[0-9a-f]{10}$/);
    expect(d).toMatchObject({ dispatchId: 'AD_probe1', agentName: PROBE });
    expect(d.answeredAtMs).toBeGreaterThanOrEqual(d.sentAtMs);
    expect(out.summary).toMatch(new RegExp(`^dispatch AD_probe1 to "${PROBE}" in room ${d.room} \\(API answered in \\d+ ms\\)$`));
    expect(evidenceOf(out)).toMatchObject({ room: d.room, dispatchId: 'AD_probe1', agentName: PROBE, apiMs: expect.any(Number) });
    expect(ctx.facts.createdRooms).toEqual([d.room]);
    expect(ctx.calls.map((c) => c.method)).toEqual(['createRoom', 'createDispatch']);
    expect(ctx.calls[0]!.args).toEqual([
      d.room,
      { emptyTimeoutS: 60, departureTimeoutS: 10, metadata: JSON.stringify({ createdBy: 'livekit-doctor', purpose: 'probe' }), agents: [NO_AUTOMATIC_DISPATCH] },
    ]);
    expect(ctx.calls[1]!.args).toEqual([d.room, PROBE, { metadata: JSON.stringify({ createdBy: 'livekit-doctor', purpose: 'probe' }) }]);
    expect(ctx.timeline.events.map((e) => e.type)).toEqual(['room-created', 'dispatch-sent', 'dispatch-created']);
    // The room is registered before CreateRoom (deleted by name even if the answer is lost); deleting it removes its dispatch.
    expect(ctx.cleanup.pending).toEqual([`delete room ${d.room}`]);
    expect((await ctx.cleanup.runAll()).every((o) => o.ok)).toBe(true);
    expect(ctx.calls.slice(2)).toEqual([{ method: 'deleteRoom', args: [d.room] }]);
  });

  it('CreateRoom refused (unknown key): fail with the classified cause, its fix and the HTTP status; the room stays registered by name', async () => {
    const ctx = fakeContext({
      api: { ...api(), createRoom: async () => Promise.reject(apiError('CreateRoom', { status: 401, message: 'invalid API key: APIfakekey' })) },
      facts: { probeName: PROBE },
    });
    const out = await probeDispatched.run(ctx);
    expect(out).toMatchObject({ status: 'fail', cause: 'unknown-api-key', summary: 'creating the room and the dispatch: 401 unknown API key', fix: { text: fixFor('unknown-api-key') } });
    expect(evidenceOf(out)).toEqual({ status: 401 });
    expect(ctx.facts.probeDispatch).toBeUndefined();
    // Registered before the call: a refused (or lost) creation is deleted by name; "not found" counts as gone.
    expect(ctx.cleanup.pending).toEqual([expect.stringMatching(/^delete room livekit-doctor-/)]);
  });

  it('CreateDispatch times out: fail as timeout, and the room already made stays registered for cleanup', async () => {
    const ctx = fakeContext({
      api: { ...api(), createDispatch: async () => Promise.reject(apiError('CreateDispatch', new DeadlineError('CreateDispatch', 1000))) },
      facts: { probeName: PROBE },
    });
    const out = await probeDispatched.run(ctx);
    expect(out).toMatchObject({ status: 'fail', cause: 'timeout', summary: 'creating the room and the dispatch: no answer within 1000 ms' });
    expect(evidenceOf(out)).toEqual({ status: undefined });
    expect(ctx.facts.probeDispatch).toBeUndefined();
    expect(ctx.cleanup.pending).toEqual([`delete room ${ctx.facts.createdRooms[0]}`]);
  });

  it('an error that is no server failure is not swallowed: the runner records the check as crashed', async () => {
    const ctx = fakeContext({ api: { ...api(), createRoom: async () => Promise.reject(new TypeError('cannot read x of undefined')) }, facts: { probeName: PROBE } });
    await expect(probeDispatched.run(ctx)).rejects.toThrow(TypeError);
    const result = await runThroughRunner(probeDispatched, fakeContext({ api: { ...api(), createRoom: async () => Promise.reject(new TypeError('boom')) }, facts: { probeName: PROBE } }));
    expect(result).toMatchObject({ id: 'probe.dispatched', status: 'error', cause: 'check-crashed', summary: 'the check itself broke: boom' });
  });

  it('its deadline covers two server calls', () => {
    expect(typeof probeDispatched.deadlineMs === 'function' && probeDispatched.deadlineMs(fakeContext())).toBe(3_000);
  });
});

describe('probe.job-received', () => {
  const setup = (worker: FakeProbeWorker, waitMs = 1000) =>
    fakeContext({ options: { waitMs }, facts: { probeWorker: worker.asWorker, probeDispatch: dispatch({ sentAtMs: 100 }) } });

  it('the job for the doctor\'s room: pass with the latency from the dispatch, handed on as probeJob', async () => {
    const worker = new FakeProbeWorker().offer(job({ requestAtMs: 420, answeredAtMs: 421.4 }));
    const ctx = setup(worker);
    const out = await probeJobReceived.run(ctx);
    expect(out.status).toBe('pass');
    expect(out.summary).toBe('job AJ_fake1 arrived 320 ms after the dispatch was sent');
    expect(out.details![0]).toContain(`about ${SELECTION_WINDOW_MS} ms of that is the server's worker-selection window`);
    expect(evidenceOf(out)).toEqual({ jobId: 'AJ_fake1', dispatchId: 'AD_fake1', room: 'livekit-doctor-fake', latencyMs: 320, answeredInMs: 1 });
    expect(ctx.facts.probeJob?.jobId).toBe('AJ_fake1');
    expect(worker.waits).toHaveLength(1);
    expect(worker.waits[0]!.timeoutMs).toBeGreaterThan(0);
    expect(worker.waits[0]!.timeoutMs).toBeLessThanOrEqual(1000);
  });

  it('a job for another room (a shared --probe-name) is logged and skipped; ours still passes', async () => {
    const worker = new FakeProbeWorker().offer(job({ jobId: 'AJ_other', room: 'someone-elses-room' }), job());
    const ctx = setup(worker);
    const out = await probeJobReceived.run(ctx);
    expect(out.status).toBe('pass');
    expect(evidenceOf(out).jobId).toBe('AJ_fake1');
    expect(ctx.logs).toEqual(['probe got a job for another room (someone-elses-room); it was answered like any other']);
  });

  it('no job request within --wait: dispatch-not-delivered, naming the dispatch and the wait', async () => {
    const worker = new FakeProbeWorker().offer(job({ jobId: 'AJ_other', room: 'someone-elses-room' }));
    const out = await probeJobReceived.run(setup(worker));
    expect(out).toMatchObject({ status: 'fail', cause: 'dispatch-not-delivered', summary: 'no job request within 1 s of dispatch AD_fake1 to "livekit-doctor-probe-fake"' });
    expect(out.fix!.commands).toEqual(['livekit-doctor check --bundle livekit-doctor-evidence.zip']);
    expect(evidenceOf(out)).toEqual({ dispatchId: 'AD_fake1', room: 'livekit-doctor-fake', agentName: 'livekit-doctor-probe-fake', waitedMs: 1000 });
  });

  it('the server closed the worker socket before any job: worker-socket-closed with the close code and reason', async () => {
    const worker = new FakeProbeWorker();
    worker.closed = { atMs: 900, code: 1001, reason: 'going away', byServer: true };
    const out = await probeJobReceived.run(setup(worker));
    expect(out).toMatchObject({ status: 'fail', cause: 'worker-socket-closed' });
    // The close described in words (code and reason), then what it came before.
    expect(out.summary).toMatch(/^the server closed the worker socket \(code 1001[,:] going away\) before a job request arrived; decided by the probe's worker socket, \+800 ms after the dispatch$/);
    expect(out.fix!.text).toMatch(/server log/);
    // The socket decided: the wait ended at the close, 800 ms after the dispatch at 100, sparing the rest of --wait.
    expect(evidenceOf(out)).toMatchObject({ closedAtMs: 900, code: 1001, decidedBy: { source: 'worker-socket', cause: 'worker-socket-closed', afterDispatchMs: 800, waitMs: 1000, savedMs: 200 } });
  });

  it('a socket closed before the dispatch decides nothing new: no decidedBy', async () => {
    const worker = new FakeProbeWorker();
    worker.closed = { atMs: 50, code: 1006, reason: '', byServer: true };
    const out = await probeJobReceived.run(setup(worker));
    expect(out.cause).toBe('worker-socket-closed');
    expect(evidenceOf(out).decidedBy).toBeUndefined();
  });

  it('--wait 0: no wait at all, dispatch-not-delivered at once', async () => {
    const worker = new FakeProbeWorker().offer(job());
    const out = await probeJobReceived.run(setup(worker, 0));
    expect(out.cause).toBe('dispatch-not-delivered');
    expect(worker.waits).toEqual([]);
  });
});

describe('probe.job-assigned', () => {
  const setup = (worker: FakeProbeWorker, record = job()) => fakeContext({ facts: { probeWorker: worker.asWorker, probeJob: record } });

  it('assigned: pass with the answer and assignment times and the join URL', async () => {
    const worker = new FakeProbeWorker().reach('assigned', job({ assignedAtMs: 530, assignmentUrl: 'wss://node-1.example' }));
    const out = await probeJobAssigned.run(setup(worker));
    expect(out.status).toBe('pass');
    expect(out.summary).toBe("assignment for AJ_fake1 came 28 ms after the probe's answer (join URL wss://node-1.example)");
    expect(evidenceOf(out)).toEqual({ jobId: 'AJ_fake1', answerMs: 2, assignmentMs: 28, assignmentUrl: 'wss://node-1.example' });
    expect(worker.waits).toEqual([{ what: 'AJ_fake1:assigned', timeoutMs: 5000 }]);
  });

  it('the probe answered "not available" and nothing followed: job-rejected-by-worker', async () => {
    const rejected = job({ accepted: false, participantIdentity: '' });
    const out = await probeJobAssigned.run(setup(new FakeProbeWorker(), rejected));
    expect(out).toMatchObject({ status: 'fail', cause: 'job-rejected-by-worker' });
    expect(out.summary).toContain('answered "not available" for job AJ_fake1 (--probe-mode reject)');
    expect(evidenceOf(out)).toEqual({ jobId: 'AJ_fake1', accepted: false });
  });

  it('accepted 3.5 s late and never assigned: assignment-missing, the late answer named', async () => {
    const late = job({ requestAtMs: 500, answeredAtMs: 4000 });
    const out = await probeJobAssigned.run(setup(new FakeProbeWorker(), late));
    expect(out).toMatchObject({ status: 'fail', cause: 'assignment-missing', summary: 'the probe answered job AJ_fake1 after 3500 ms but no assignment came within 5 s' });
    expect(out.details).toEqual(['the answer came later than the ~3 s the server waits: a slow request handler loses every job this way']);
    expect(evidenceOf(out)).toEqual({ jobId: 'AJ_fake1', answerMs: 3500 });
  });

  it('accepted at once and never assigned: assignment-missing without the late-answer line', async () => {
    const out = await probeJobAssigned.run(setup(new FakeProbeWorker()));
    expect(out).toMatchObject({ status: 'fail', cause: 'assignment-missing' });
    expect(out.details).toBeUndefined();
    expect(evidenceOf(out)).toEqual({ jobId: 'AJ_fake1', answerMs: 2 });
  });
});

describe('probe.joined', () => {
  const joinedJob = job({ assignedAtMs: 600, joinedAtMs: 850 });
  const setup = (worker: FakeProbeWorker, listed: ReturnType<typeof participant>[] | Error, probeMode?: 'accept' | 'observe') =>
    fakeContext({
      api: { listParticipants: async () => (listed instanceof Error ? Promise.reject(listed) : listed) },
      options: { probeMode },
      facts: { probeWorker: worker.asWorker, probeJob: job() },
    });
  const me = (kind: 'AGENT' | 'STANDARD' = 'AGENT') => participant({ identity: joinedJob.participantIdentity, kind, agentName: kind === 'AGENT' ? PROBE : undefined });

  it('joined and listed as AGENT: pass with the join time after the assignment; the probe leaves', async () => {
    const worker = new FakeProbeWorker().reach('joined', joinedJob);
    const ctx = setup(worker, [participant({ identity: 'someone-else', kind: 'STANDARD' }), me()]);
    const out = await probeJoined.run(ctx);
    expect(out.status).toBe('pass');
    expect(out.summary).toBe('joined 250 ms after the assignment; ListParticipants shows livekit-doctor-probe-AJ_fake1 as AGENT');
    expect(evidenceOf(out)).toEqual({ room: 'livekit-doctor-fake', identity: 'livekit-doctor-probe-AJ_fake1', joinMs: 250, listedKind: 'AGENT', listedAgentName: PROBE });
    expect(ctx.calls).toEqual([{ method: 'listParticipants', args: ['livekit-doctor-fake'] }]);
    expect(worker.waits).toEqual([{ what: 'AJ_fake1:joined', timeoutMs: 1000 }]);
    expect(worker.left).toEqual(['AJ_fake1']);
  });

  it('no assignment time recorded: the join time counts from the request', async () => {
    const worker = new FakeProbeWorker().reach('joined', job({ joinedAtMs: 800 }));
    const out = await probeJoined.run(setup(worker, [me()]));
    expect(evidenceOf(out).joinMs).toBe(300);
  });

  it('joined but not listed: warn participant-not-listed', async () => {
    const worker = new FakeProbeWorker().reach('joined', joinedJob);
    const out = await probeJoined.run(setup(worker, []));
    expect(out).toMatchObject({ status: 'warn', cause: 'participant-not-listed', summary: 'joined 250 ms after the assignment, but ListParticipants does not list livekit-doctor-probe-AJ_fake1' });
    expect(evidenceOf(out)).toMatchObject({ listedKind: undefined });
    expect(worker.left).toEqual(['AJ_fake1']);
  });

  it('listed, but not as an agent: warn participant-not-agent', async () => {
    const worker = new FakeProbeWorker().reach('joined', joinedJob);
    const out = await probeJoined.run(setup(worker, [me('STANDARD')]));
    expect(out).toMatchObject({ status: 'warn', cause: 'participant-not-agent', summary: 'joined, but the server lists livekit-doctor-probe-AJ_fake1 as STANDARD, not AGENT' });
    expect(evidenceOf(out).listedKind).toBe('STANDARD');
  });

  it('the join failed: join-failed with the (redacted) join error', async () => {
    const worker = new FakeProbeWorker();
    worker.jobs.set('AJ_fake1', job({ joinError: 'Room.connect failed: could not establish pc connection' }));
    const out = await probeJoined.run(setup(worker, []));
    expect(out).toMatchObject({ status: 'fail', cause: 'join-failed', summary: 'joining room livekit-doctor-fake failed: Room.connect failed: could not establish pc connection' });
    expect(evidenceOf(out)).toEqual({ jobId: 'AJ_fake1', room: 'livekit-doctor-fake', joinError: 'Room.connect failed: could not establish pc connection' });
    expect(worker.left).toEqual([]);
  });

  it('no join within --wait: join-failed naming the wait', async () => {
    const out = await probeJoined.run(setup(new FakeProbeWorker(), []));
    expect(out).toMatchObject({ status: 'fail', cause: 'join-failed', summary: 'the probe did not join room livekit-doctor-fake within 1 s' });
  });

  it('observe mode: not applicable, nothing waited for', async () => {
    const worker = new FakeProbeWorker().reach('joined', joinedJob);
    const out = await probeJoined.run(setup(worker, [me()], 'observe'));
    expect(out).toEqual({ status: 'skip', summary: 'observe mode: the probe accepted the job but does not join' });
    expect(worker.waits).toEqual([]);
  });

  it('ListParticipants fails: the runner records an error with the classified message', async () => {
    const worker = new FakeProbeWorker().reach('joined', joinedJob);
    const ctx = setup(worker, apiError('ListParticipants', { status: 503, message: 'no response from servers' }));
    const result = await runThroughRunner(probeJoined, ctx);
    expect(result).toMatchObject({ status: 'error', cause: 'check-crashed', summary: 'the check itself broke: ListParticipants: 503 no response from servers' });
  });
});
