/**
 * Workers that never get ready or lose their socket (issue 14, N8 and N10): the pure parts. Log lines are
 * livekit-server v1.13.5's own wording, taken from the scenario runs (scenarios-server-restart.test.ts).
 */
import { describe, it, expect } from 'vitest';
import type { CheckResult } from '../../src/core/model.js';
import { parseServerLog, correlate, classifyServerLog } from '../../src/evidence/server-log.js';
import { healthMeaning } from '../../src/evidence/agent-http/assess.js';
import { describeActiveJobsWatch, jobNeverReachedAProcess, type ActiveJobsWatch } from '../../src/evidence/agent-http.js';
import { analyze } from '../../src/findings/analyze.js';
import { FINDING_RULES } from '../../src/findings/index.js';
import { checkResult } from './fixtures/results.js';

const at = (s: number) => `2026-12-01T12:14:${String(s).padStart(2, '0')}.000Z`;
const registered = (s: number, name: string, id: string) =>
  `${at(s)}\tINFO\tlivekit.agents\tservice/agentservice.go:303\tworker registered\t{"namespace": "", "jobType": "JT_ROOM", "agentName": "${name}", "workerID": "${id}"}`;
const serverStart = (s: number) =>
  `${at(s)}\tINFO\tlivekit\tservice/server.go:292\tstarting LiveKit server\t{"portHttp": 46437, "nodeID": "ND_${s}", "nodeIP": "127.0.0.1", "version": "1.13.5"}`;
const closedWs = (s: number, name: string, id: string) =>
  `${at(s)}\tDEBUG\tlivekit.agents\tservice/agentservice.go:100\tworker closed WS connection\t{"workerID": "${id}", "agentName": "${name}", "jobType": "JT_ROOM", "wsError": "websocket: close 1006 (abnormal closure): unexpected EOF"}`;
const deregistered = (s: number, name: string, id: string) =>
  `${at(s)}\tINFO\tlivekit.agents\tservice/agentservice.go:338\tlast worker deregistered\t{"namespace": "", "jobType": "JT_ROOM", "agentName": "${name}", "workerID": "${id}"}`;
const noWorker = (s: number, name: string) =>
  `${at(s)}\tINFO\tlivekit\tagent/client.go:150\tnot dispatching agent job since no worker is available\t{"agentName": "${name}", "jobType": "JT_ROOM", "room": "r", "roomID": "RM_1"}`;

function verdictsFor(lines: string[], sinceSecond: number, name = 'gone') {
  const evidence = correlate(parseServerLog(lines.join('\n')).entries, { since: new Date(at(sinceSecond)), until: new Date(at(59)), rooms: ['r'], agentNames: [name] });
  return classifyServerLog(evidence, { dispatchedName: name, agentJoined: false });
}

describe('the server log: a worker registered under the name, then gone', () => {
  it('lost at a server restart, never back: no-worker-for-name naming the worker, its registration and the restart', () => {
    const [v] = verdictsFor([serverStart(1), registered(2, 'gone', 'AW_old'), serverStart(5), registered(6, 'other', 'AW_x'), noWorker(20, 'gone')], 19);
    expect(v!.cause).toBe('no-worker-for-name');
    expect(v!.goneWorkers).toEqual([expect.objectContaining({ workerId: 'AW_old', how: 'server-restart', registeredLine: 2, goneLine: 3 })]);
    expect(v!.summary).toContain('Worker AW_old was registered as "gone" (line 2), but the server restarted after it (line 3, "starting LiveKit server")');
    expect(v!.evidence.join('\n')).toMatch(/line 2: .*worker registered[\s\S]*line 3: .*starting LiveKit server/);
    expect(v!.fix.text).toMatch(/max_retry \/ maxRetry/);
    expect(v!.fix.text).toMatch(/the server restarted/);
  });

  it('deregistered (socket closed) before the dispatch: gone, with the close reason', () => {
    const [v] = verdictsFor([registered(2, 'gone', 'AW_1'), closedWs(8, 'gone', 'AW_1'), deregistered(8, 'gone', 'AW_1'), noWorker(20, 'gone')], 19);
    expect(v!.goneWorkers).toEqual([expect.objectContaining({ workerId: 'AW_1', how: 'deregistered', wsError: 'websocket: close 1006 (abnormal closure): unexpected EOF' })]);
    expect(v!.summary).toContain('it deregistered at line 3 (its socket closed: websocket: close 1006');
    expect(v!.fix.text).toMatch(/idle timeout/);
  });

  it('registered again after the restart: the worker is there, nothing is gone', () => {
    const lines = [registered(2, 'gone', 'AW_old'), serverStart(5), registered(7, 'gone', 'AW_new'), noWorker(20, 'gone')];
    expect(verdictsFor(lines, 19)[0]!.goneWorkers).toBeUndefined();
  });

  it('a worker under another name that left says nothing about this one', () => {
    const lines = [registered(2, 'else', 'AW_1'), deregistered(3, 'else', 'AW_1'), noWorker(20, 'gone')];
    expect(verdictsFor(lines, 19)[0]!.goneWorkers).toBeUndefined();
  });
});

const result = checkResult;
const findings = (results: CheckResult[]) => analyze(results, FINDING_RULES).findings;

describe('findings: agent-disconnected from the server log', () => {
  const gone = result('server-log.verdict', 'fail', {
    cause: 'no-worker-for-name',
    evidence: { verdicts: [{ cause: 'no-worker-for-name', summary: 'No worker… Worker AW_old was registered…', evidence: ['line 2: registered', 'line 3: starting'], fix: { text: 'restart it' }, goneWorkers: [{ workerId: 'AW_old', how: 'server-restart' }] }] },
  });
  const noJob = result('agent.job-taken', 'fail', { cause: 'agent-no-job' });
  it('names the cause with the log lines, and the silent endpoint when it was given', () => {
    const silent = result('agent-http.reachable', 'fail', { summary: 'connection refused' });
    const [top] = findings([result('agent.dispatched', 'pass'), noJob, gone, silent]);
    expect(top).toMatchObject({ cause: 'agent-disconnected', likelihood: 'high', fromChecks: ['server-log.verdict', 'agent-http.reachable'] });
    expect(top!.evidence).toEqual(['line 2: registered', 'line 3: starting', 'agent-http.reachable: connection refused']);
  });
  it('the endpoint saying the same (503 not connected) is folded into it, not listed twice', () => {
    const health = result('agent-http.healthy', 'fail', { cause: 'agent-disconnected', summary: 'HTTP 503 not connected to livekit' });
    const all = findings([result('agent.dispatched', 'pass'), noJob, gone, health]);
    expect(all.filter((f) => f.cause === 'agent-disconnected')).toHaveLength(1);
    expect(all[0]!.evidence).toContain('agent-http.healthy: HTTP 503 not connected to livekit');
  });
});

describe('health reasons: agents-js while it reconnects', () => {
  it('"not connected to livekit" is agent-disconnected too, worded for a worker still retrying', () => {
    const m = healthMeaning('not connected to livekit');
    expect(m.id).toBe('agent-disconnected');
    expect(m.title).toMatch(/reconnecting/);
    expect(healthMeaning('failed to connect to livekit').title).toMatch(/gave up/);
  });
});

const watch = (over: Partial<ActiveJobsWatch> = {}): ActiveJobsWatch => ({ url: 'http://a:8081/', before: 0, highest: 0, last: 0, readings: 40, fromMs: 1_000, toMs: 9_000, ...over });

describe('active_jobs through the wait: did the job reach a process?', () => {
  it('flat over enough readings and time: never reached one', () => {
    expect(jobNeverReachedAProcess([watch()])).toBe(true);
    expect(describeActiveJobsWatch(watch())).toBe('http://a:8081/: active_jobs stayed at 0 in 40 readings over 8.0 s while the doctor waited for the agent to join');
  });
  it('a rise at any reading, on any endpoint: it did', () => {
    expect(jobNeverReachedAProcess([watch(), watch({ url: 'http://b/', highest: 1, last: 0 })])).toBe(false);
    expect(describeActiveJobsWatch(watch({ highest: 1, last: 0 }))).toMatch(/rose from 0 to 1 \(last 0\)/);
  });
  it('too few readings, too short a span, no baseline or no endpoint: no conclusion', () => {
    expect(jobNeverReachedAProcess([watch({ readings: 2 })])).toBe(false);
    expect(jobNeverReachedAProcess([watch({ toMs: 2_500 })])).toBe(false);
    expect(jobNeverReachedAProcess([watch({ before: undefined })])).toBe(false);
    expect(jobNeverReachedAProcess([])).toBe(false);
  });
});

describe('findings: job-process-not-ready', () => {
  const assigned = (extra: Record<string, unknown> = {}) =>
    result('server-log.verdict', 'fail', {
      cause: 'assigned-not-joined',
      evidence: { verdicts: [{ cause: 'assigned-not-joined', summary: 'Worker AW_1 accepted job AJ_1', evidence: ['line 9: assigned job to worker'], fix: { text: 'crash fix' }, jobId: 'AJ_1', workerId: 'AW_1', ...extra }] },
    });
  const taken = result('agent.job-taken', 'pass', { evidence: { jobs: [{ source: 'server-log', jobId: 'AJ_1' }] } });
  const joined = (w: ActiveJobsWatch[]) => result('agent.joined', 'fail', { cause: 'agent-crashed-before-join', evidence: { jobs: [], activeJobs: w } });

  it('assigned, no end reported, the endpoint never counted it: the job never started, the crash story demoted', () => {
    const all = findings([taken, joined([watch()]), assigned()]);
    expect(all.map((f) => [f.cause, f.likelihood])).toEqual([
      ['job-process-not-ready', 'high'],
      ['agent-crashed-before-join', 'low'],
    ]);
    expect(all[0]!.title).toContain('Your worker AW_1 accepted job AJ_1 but never started it');
    expect(all[0]!.evidence).toContain('line 9: assigned job to worker');
    expect(all[0]!.evidence.join('\n')).toMatch(/active_jobs stayed at 0 in 40 readings/);
    expect(all[0]!.fix.text).toMatch(/initialize_process_timeout/);
  });
  it('the worker reported the job ended (Python after a crash): a crash, not a start-up problem', () => {
    const all = findings([taken, joined([watch()]), assigned({ ended: { line: 12, status: 'JS_FAILED' } })]);
    expect(all[0]!.cause).toBe('agent-crashed-before-join');
  });
  it('the count rose during the wait, or around the dispatch: the job ran and died', () => {
    expect(findings([taken, joined([watch({ highest: 1 })]), assigned()])[0]!.cause).toBe('agent-crashed-before-join');
    const rose = result('agent.job-taken', 'pass', { evidence: { jobs: [{ source: 'agent-http', status: 'active_jobs rose from 0 to 1' }] } });
    expect(findings([rose, joined([watch()]), assigned()])[0]!.cause).toBe('agent-crashed-before-join');
  });
  it('without --agent-http: the crash finding as before', () => {
    expect(findings([taken, result('agent.joined', 'fail', { cause: 'agent-crashed-before-join' }), assigned()])[0]!.cause).toBe('agent-crashed-before-join');
  });
});
