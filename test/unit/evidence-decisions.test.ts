import { describe, expect, it } from 'vitest';
import { decideFromLog, type ServerLogVerdict } from '../../src/evidence/server-log.js';
import { effectiveAgentName, healthMeaning, isProtobufJson } from '../../src/evidence/agent-http/assess.js';
import { normaliseWorkerInfo } from '../../src/evidence/agent-http/worker-info.js';
import { describeDecision } from '../../src/checks/support/decisions.js';

const verdict = (cause: ServerLogVerdict['cause'], extra: Partial<ServerLogVerdict> = {}): ServerLogVerdict => ({
  cause,
  summary: cause,
  evidence: ['line 42: 2026-01-01T00:00:00Z\tINFO\tlivekit\tx\tmsg'],
  fix: { text: 'fix' },
  ...extra,
});

describe('decideFromLog: which server-log verdicts end a wait', () => {
  it('nothing-logged never decides', () => {
    expect(decideFromLog([verdict('nothing-logged', { evidence: [] })])).toBeUndefined();
  });
  it.each(['no-worker-for-name', 'answer-timeout', 'job-rejected', 'worker-full', 'no-capacity', 'job-request-failed'] as const)('%s: not taken, with its line', (cause) => {
    expect(decideFromLog([verdict(cause)])).toMatchObject({ kind: 'not-taken', line: 42 });
  });
  it('assigned: taken; assigned and ended without a join: ended, on the job-ended line', () => {
    expect(decideFromLog([verdict('assigned-not-joined')])?.kind).toBe('taken');
    expect(decideFromLog([verdict('assigned-not-joined', { ended: { line: 50, status: 'JS_SUCCESS' } })])).toMatchObject({ kind: 'ended', line: 50 });
  });
  it('an assignment outranks a later failure line', () => {
    expect(decideFromLog([verdict('no-capacity'), verdict('assigned-and-joined')])?.kind).toBe('taken');
  });
});

describe('health reasons map to their own causes', () => {
  it('inference process not running (N4)', () => {
    const m = healthMeaning('inference process not running');
    expect(m.id).toBe('agent-inference-not-ready');
    expect(m.fix.text).toMatch(/download-files/);
  });
  it('failed to connect to livekit (N10)', () => {
    const m = healthMeaning('failed to connect to livekit');
    expect(m.id).toBe('agent-disconnected');
    expect(m.fix.text).toMatch(/idle timeout/);
  });
  it('anything else stays agent-unhealthy', () => {
    expect(healthMeaning('draining').id).toBe('agent-unhealthy');
    expect(healthMeaning(undefined).id).toBe('agent-unhealthy');
  });
});

describe('Python /worker (protobuf JSON) leaves out defaults', () => {
  const python = normaliseWorkerInfo({ worker_type: 'JT_ROOM', active_jobs: 2.0, sdk_version: '1.8.9', protocol_version: 1 });
  const node = normaliseWorkerInfo({ agent_name: '', deployment: '', worker_type: 'JT_ROOM', project_type: 'nodejs', protocol_version: 1 });
  it('no agent_name from Python means an unnamed worker', () => {
    expect(isProtobufJson(python)).toBe(true);
    expect(effectiveAgentName(python)).toBe('');
    expect(effectiveAgentName(node)).toBe('');
  });
  it('an answer without any worker fields says nothing about the name', () => {
    expect(effectiveAgentName(normaliseWorkerInfo({}))).toBeUndefined();
  });
});

describe('describeDecision', () => {
  it('names source, line and time after the dispatch', () => {
    expect(describeDecision({ source: 'server-log', kind: 'not-taken', cause: 'no-worker-for-name', summary: '', line: 523, atMs: 900, afterDispatchMs: 412.4 })).toBe(
      'decided by the server log, line 523, +412 ms after the dispatch',
    );
    expect(describeDecision({ source: 'agent-http', kind: 'not-taken', cause: 'agent-name-mismatch', summary: '', url: 'http://a:8081/', atMs: 1, afterDispatchMs: 12 })).toBe(
      "decided by the agent's endpoint (http://a:8081/), +12 ms after the dispatch",
    );
  });
});
