import { WorkerError } from '../../livekit/worker/errors.js';
import { ProbeWorker } from '../../livekit/worker/probe-worker.js';
import { uniqueProbeName } from '../../livekit/worker/types.js';
import { fail, pass, warn, type Check } from '../check.js';

export const SHARED_NAME_WARNING =
  'the probe registered under a name you chose: real jobs for that name may land on the probe while it runs, and its answers decide them';

export const probeRegistered: Check = {
  id: 'probe.registered',
  title: 'A worker can register (probe worker on /agent)',
  needs: ['server.credentials'],
  deadlineMs: (ctx) => Math.min(ctx.options.waitMs, 10_000) + 2_000,
  async run(ctx) {
    const conn = ctx.connection!;
    const name = ctx.options.probeName ?? uniqueProbeName();
    const worker = new ProbeWorker({
      url: conn.url,
      apiKey: conn.apiKey,
      apiSecret: conn.apiSecret,
      agentName: name,
      mode: ctx.options.probeMode ?? 'accept',
      answerDelayMs: ctx.options.probeAnswerDelayMs ?? 0,
      timeline: ctx.timeline,
      registerTimeoutMs: Math.min(ctx.options.waitMs, 10_000),
      joinTimeoutMs: ctx.options.waitMs,
      // Stay in the room until the join is confirmed through the server API; cleanup leaves.
      stayMs: Number.POSITIVE_INFINITY,
    });
    ctx.cleanup.add(`stop probe worker ${name}`, () => worker.stop());
    ctx.facts.probeName = name;
    let reg;
    try {
      reg = await worker.start(ctx.signal);
    } catch (err) {
      if (err instanceof WorkerError) {
        return fail(err.message, { cause: err.cause, fix: { text: err.fix ?? 'check that WebSocket upgrades to <url>/agent reach the server' }, evidence: { agentName: name, status: err.status } });
      }
      throw err;
    }
    ctx.facts.probeWorker = worker;
    Object.assign(ctx.facts.server, reg.server);
    const where = [reg.server.edition, reg.server.version && `v${reg.server.version}`, reg.server.region && `region ${reg.server.region}`, reg.server.nodeId && `node ${reg.server.nodeId}`]
      .filter(Boolean)
      .join(', ');
    const summary = `worker ${reg.workerId} registered as "${name}" in ${Math.round(reg.atMs - reg.socketOpenAtMs)} ms (${where})`;
    const evidence = { workerId: reg.workerId, agentName: name, server: reg.server, socketOpenAtMs: reg.socketOpenAtMs, registeredAtMs: reg.atMs };
    if (ctx.options.probeNameExplicit) return warn(summary, { cause: 'probe-shares-name', details: [SHARED_NAME_WARNING], evidence, fix: { text: 'leave out --probe-name to use a unique name' } });
    return pass(summary, { evidence });
  },
};
