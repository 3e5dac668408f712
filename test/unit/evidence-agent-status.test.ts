import { describe, it, expect } from 'vitest';
import { assessAgentStatus, activeJobsDelta, normaliseWorkerInfo, agentBaseUrl, type AgentStatus } from '../../src/evidence/agent-http.js';

function status(worker: Record<string, unknown> | undefined, health: AgentStatus['health'] = { status: 200, ok: true }): AgentStatus {
  return { url: 'http://127.0.0.1:8081/', reachable: true, health, elapsedMs: 3, ...(worker ? { worker: normaliseWorkerInfo(worker) } : {}) };
}

const healthyWorker = { agent_name: 'my-agent', agent_name_is_env: false, worker_type: 'JT_ROOM', active_jobs: 0, worker_load: 0.1 };

describe('assessAgentStatus', () => {
  it('a healthy agent under the dispatched name has no findings', () => {
    expect(assessAgentStatus(status(healthyWorker), { dispatchedName: 'my-agent' })).toEqual([]);
  });

  it('unreachable: one finding that quotes the cause', () => {
    const s: AgentStatus = { url: 'http://127.0.0.1:9/', reachable: false, health: { ok: false }, error: { cause: 'refused', message: 'connection refused' }, elapsedMs: 1 };
    const findings = assessAgentStatus(s, { dispatchedName: 'x' });
    expect(findings.map((f) => f.id)).toEqual(['agent-unreachable']);
    expect(findings[0]!.summary).toContain('connection refused');
  });

  it('unhealthy: quotes the 503 reason', () => {
    const findings = assessAgentStatus(status(healthyWorker, { status: 503, ok: false, reason: 'failed to connect to livekit' }));
    expect(findings[0]).toMatchObject({ id: 'agent-disconnected', severity: 'fail' });
    expect(findings[0]!.summary).toContain('failed to connect to livekit');
  });

  it('name mismatch shows the difference, and notes a name from the environment', () => {
    const findings = assessAgentStatus(status({ ...healthyWorker, agent_name: 'My-Agent ', agent_name_is_env: true }), { dispatchedName: 'my-agent' });
    expect(findings.map((f) => f.id)).toEqual(['agent-name-mismatch']);
    expect(findings[0]!.summary).toContain('"My-Agent␠"');
    expect(findings[0]!.summary).toContain('LIVEKIT_AGENT_NAME');
    expect(findings[0]!.evidence.join('\n')).toMatch(/trailing whitespace[\s\S]*case differs/);
  });

  it('an unnamed agent gets only automatic dispatch', () => {
    const findings = assessAgentStatus(status({ ...healthyWorker, agent_name: '' }), { dispatchedName: 'my-agent' });
    expect(findings.map((f) => f.id)).toEqual(['agent-unnamed']);
  });

  it('worker type, deployment and load', () => {
    const findings = assessAgentStatus(status({ ...healthyWorker, worker_type: 'JT_PUBLISHER', deployment: 'staging', worker_load: 0.85 }), {
      dispatchedName: 'my-agent',
    });
    expect(findings.map((f) => f.id)).toEqual(['worker-type-not-room', 'deployment-mismatch', 'agent-load-high']);
    expect(findings[0]!.summary).toMatch(/publishes a track/);
    expect(findings[2]!.summary).toMatch(/0\.85 \(threshold 0\.7\)/);
    expect(assessAgentStatus(status({ ...healthyWorker, worker_load: 0.85 }), { loadThreshold: 0.9 })).toEqual([]);
    expect(assessAgentStatus(status({ ...healthyWorker, deployment: 'staging' }), { deployment: 'staging' })).toEqual([]);
  });

  it('no /worker answer: a warning that nothing could be checked', () => {
    const s = { ...status(undefined), error: { cause: 'not-json' as const, message: 'GET /worker did not answer JSON' } };
    expect(assessAgentStatus(s, { dispatchedName: 'x' }).map((f) => f.id)).toEqual(['worker-info-missing']);
  });
});

describe('normaliseWorkerInfo', () => {
  it('maps numeric and bare worker types and drops secret-looking fields from raw', () => {
    expect(normaliseWorkerInfo({ worker_type: 1 }).workerType).toBe('JT_PUBLISHER');
    expect(normaliseWorkerInfo({ worker_type: 'room' }).workerType).toBe('JT_ROOM');
    expect(normaliseWorkerInfo({ token: 'abc.def.ghi' }).raw).toEqual({ token: '[redacted]' });
  });
});

describe('activeJobsDelta', () => {
  const withJobs = (n: number) => status({ ...healthyWorker, active_jobs: n });
  it('rose: the agent took the job even if it never joined', () => {
    expect(activeJobsDelta(withJobs(0), withJobs(1))).toMatchObject({ before: 0, after: 1, delta: 1, rose: true });
  });
  it('unchanged or unknown: no', () => {
    expect(activeJobsDelta(withJobs(2), withJobs(2)).rose).toBe(false);
    expect(activeJobsDelta(undefined, withJobs(2))).toMatchObject({ rose: false, after: 2 });
  });
});

describe('agentBaseUrl', () => {
  it.each([
    ['127.0.0.1:8081', 'http://127.0.0.1:8081/'],
    ['http://h:8081/worker', 'http://h:8081/'],
    ['http://h:8081/agents/a?x=1', 'http://h:8081/agents/a/'],
  ])('%s → %s', (input, out) => expect(agentBaseUrl(input).toString()).toBe(out));
  it('rejects other schemes', () => expect(() => agentBaseUrl('ftp://h')).toThrow());
});
