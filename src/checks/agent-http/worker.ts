import { assessAgentStatus } from '../../evidence/agent-http.js';
import { isProtobufJson } from '../../evidence/agent-http/assess.js';
import { answeredWorkers } from '../support/agent-endpoints.js';
import { withActiveJobs } from '../support/agent-endpoints.js';
import { fail, notApplicable, pass, warn, type Check } from '../check.js';

/** Both agent SDKs report themselves full at this load in production; a self-hosted server's default target load too. */
export const LOAD_THRESHOLD = 0.7;

export const agentHttpWorker: Check = {
  id: 'agent-http.worker',
  title: 'Your agent takes room jobs: type JT_ROOM, same deployment, load below 0.7',
  needs: ['agent-http.reachable'],
  deadlineMs: 1_000,
  appliesTo: (o) => !!o.agentHttp?.length,
  async run(ctx) {
    const described = answeredWorkers(ctx.facts).filter((s) => s.worker).map(withActiveJobs);
    if (!described.length) return notApplicable('no endpoint described its worker (/worker): type, deployment and load are unknown');
    const assessed = described.map((s) => ({
      status: s,
      findings: assessAgentStatus(s, { loadThreshold: LOAD_THRESHOLD }).filter((f) => ['worker-type-not-room', 'deployment-mismatch', 'agent-load-high'].includes(f.id)),
    }));
    const endpoints = assessed.map(({ status: s }) => ({
      url: s.url,
      workerType: s.worker!.workerType,
      deployment: s.worker!.deployment,
      workerLoad: s.worker!.workerLoad,
      activeJobs: s.worker!.activeJobs,
      sdkVersion: s.worker!.sdkVersion,
      protocolVersion: s.worker!.protocolVersion,
    }));
    const evidence = { loadThreshold: LOAD_THRESHOLD, endpoints: endpoints.map((e, i) => ({ ...e, deploymentReported: described[i]!.worker!.deployment !== undefined })) };
    const wrong = assessed.flatMap((a) => a.findings.filter((f) => f.id !== 'agent-load-high').map((f) => ({ url: a.status.url, f })));
    if (wrong.length) {
      return fail(wrong.map(({ url, f }) => `${url}: ${f.summary}`).join('; '), { cause: wrong[0]!.f.id, fix: wrong[0]!.f.fix, evidence });
    }
    const loaded = assessed.filter((a) => a.findings.some((f) => f.id === 'agent-load-high'));
    // Python agents' /worker has no deployment field: say so rather than compare against nothing.
    const deploymentNote = (s: (typeof described)[number]) =>
      s.worker!.deployment !== undefined ? `, deployment "${s.worker!.deployment}"` : isProtobufJson(s.worker!) ? ', deployment not reported (Python agents do not send it: check LIVEKIT_AGENT_DEPLOYMENT in its environment)' : ', deployment not reported';
    const describe = endpoints
      .map((e, i) => `${e.workerType ?? 'type not reported'}, load ${e.workerLoad?.toFixed(2) ?? 'not reported'}, ${e.activeJobs} active job(s)${e.sdkVersion ? `, sdk ${e.sdkVersion}` : ''}${deploymentNote(described[i]!)}`)
      .join('; ');
    if (loaded.length) {
      const outcome = loaded.length === assessed.length ? fail : warn;
      return outcome(`${loaded.length} of ${assessed.length} worker(s) at or above load ${LOAD_THRESHOLD}: ${loaded.map((a) => `${a.status.url} load ${a.status.worker!.workerLoad!.toFixed(2)}`).join(', ')} — a worker at that load is not offered jobs`, {
        cause: 'agent-load-high',
        fix: loaded[0]!.findings.find((f) => f.id === 'agent-load-high')!.fix,
        evidence,
      });
    }
    return pass(describe, { evidence });
  },
};
