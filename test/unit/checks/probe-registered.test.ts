import { describe, it, expect, vi, beforeEach } from 'vitest';
import type { ProbeWorkerOptions, Registration } from '../../../src/livekit/worker/types.js';
import { probeRegistered, SHARED_NAME_WARNING } from '../../../src/checks/probe/registered.js';
import { WorkerError } from '../../../src/livekit/worker/errors.js';
import { fakeContext, CONNECTION, evidenceOf, runThroughRunner } from './fake-context.js';

/**
 * probe.registered makes its own ProbeWorker: the class is replaced by one whose start() does what the
 * test says (no socket), and which records how the check built it (vi.mock is hoisted above the imports).
 */
const made = vi.hoisted(() => ({
  workers: [] as { options: ProbeWorkerOptions; stops: number; startSignal?: AbortSignal }[],
  start: async (): Promise<unknown> => {
    throw new Error('the test did not say how start() ends');
  },
}));

vi.mock('../../../src/livekit/worker/probe-worker.js', () => ({
  ProbeWorker: class {
    options: ProbeWorkerOptions;
    stops = 0;
    startSignal?: AbortSignal;
    constructor(options: ProbeWorkerOptions) {
      this.options = options;
      made.workers.push(this);
    }
    start(signal?: AbortSignal) {
      this.startSignal = signal;
      return made.start();
    }
    async stop() {
      this.stops++;
    }
  },
}));

const registration: Registration = {
  workerId: 'AW_fake1',
  server: { version: '1.13.5', edition: 'Standard', nodeId: 'ND_fake1', agentProtocol: 1 },
  atMs: 142.4,
  socketOpenAtMs: 120,
};

beforeEach(() => {
  made.workers.length = 0;
});

describe('probe.registered', () => {
  it('registers under a unique name: pass with the worker id and the server facts, the worker handed on and stopped at cleanup', async () => {
    made.start = async () => registration;
    const ctx = fakeContext({ options: { waitMs: 6000 } });
    const out = await probeRegistered.run(ctx);
    const name = ctx.facts.probeName!;
    expect(name).toMatch(/^livekit-doctor-probe-[0-9a-z]{8}$/);
    expect(out.status).toBe('pass');
    expect(out.summary).toBe(`worker AW_fake1 registered as "${name}" in 22 ms (Standard, v1.13.5, node ND_fake1)`);
    expect(evidenceOf(out)).toEqual({ workerId: 'AW_fake1', agentName: name, server: registration.server, socketOpenAtMs: 120, registeredAtMs: 142.4 });
    expect(ctx.facts.server).toEqual(registration.server);
    const [worker] = made.workers;
    expect(ctx.facts.probeWorker).toBe(worker);
    expect(worker!.options).toMatchObject({
      url: CONNECTION.url,
      apiKey: CONNECTION.apiKey,
      apiSecret: CONNECTION.apiSecret,
      agentName: name,
      mode: 'accept',
      answerDelayMs: 0,
      registerTimeoutMs: 6000,
      joinTimeoutMs: 6000,
      stayMs: Number.POSITIVE_INFINITY,
    });
    expect(worker!.options.timeline).toBe(ctx.timeline);
    expect(worker!.startSignal).toBe(ctx.signal);
    expect(ctx.cleanup.pending).toEqual([`stop probe worker ${name}`]);
    await ctx.cleanup.runAll();
    expect(worker!.stops).toBe(1);
  });

  it('a name the user chose: warn probe-shares-name; mode and answer delay reach the worker; the register wait is at most 10 s', async () => {
    made.start = async () => registration;
    const ctx = fakeContext({ options: { waitMs: 30_000, probeName: 'my-agent', probeNameExplicit: true, probeMode: 'reject', probeAnswerDelayMs: 3500 } });
    const out = await probeRegistered.run(ctx);
    expect(out).toMatchObject({ status: 'warn', cause: 'probe-shares-name', details: [SHARED_NAME_WARNING], fix: { text: 'leave out --probe-name to use a unique name' } });
    expect(out.summary).toMatch(/^worker AW_fake1 registered as "my-agent" in 22 ms/);
    expect(made.workers[0]!.options).toMatchObject({ agentName: 'my-agent', mode: 'reject', answerDelayMs: 3500, registerTimeoutMs: 10_000, joinTimeoutMs: 30_000 });
    expect(typeof probeRegistered.deadlineMs === 'function' && probeRegistered.deadlineMs(ctx)).toBe(12_000);
  });

  it('the socket is refused with 401 (wrong secret): fail with the worker error\'s cause, line, fix and status; the worker is still stopped', async () => {
    const refused = new WorkerError('bad-signature', 'worker socket refused with 401: invalid token: signature is invalid', { status: 401 });
    made.start = async () => Promise.reject(refused);
    const ctx = fakeContext();
    const out = await probeRegistered.run(ctx);
    expect(out).toMatchObject({ status: 'fail', cause: 'bad-signature', summary: refused.message, fix: { text: refused.fix } });
    expect(evidenceOf(out)).toEqual({ agentName: ctx.facts.probeName, status: 401 });
    expect(ctx.facts.probeWorker).toBeUndefined();
    expect(ctx.facts.server).toEqual({});
    await ctx.cleanup.runAll();
    expect(made.workers[0]!.stops).toBe(1);
  });

  it('no register reply: fail register-timeout with its documented fix', async () => {
    made.start = async () => Promise.reject(new WorkerError('register-timeout', 'no register reply within 1000 ms of connecting'));
    const out = await probeRegistered.run(fakeContext());
    expect(out).toMatchObject({ status: 'fail', cause: 'register-timeout', summary: 'no register reply within 1000 ms of connecting' });
    expect(out.fix!.text).toMatch(/never confirmed the registration/);
    expect(evidenceOf(out).status).toBeUndefined();
  });

  it('anything but a WorkerError is a bug, not a verdict: the runner records the check as crashed', async () => {
    made.start = async () => Promise.reject(new RangeError('unexpected'));
    await expect(probeRegistered.run(fakeContext())).rejects.toThrow(RangeError);
    const result = await runThroughRunner(probeRegistered, fakeContext());
    expect(result).toMatchObject({ status: 'error', cause: 'check-crashed', summary: 'the check itself broke: unexpected' });
  });
});
