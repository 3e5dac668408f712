import { describe, expect, it } from 'vitest';
import { BoundedValues, idLabel, MAX_CAUSES, runResult } from '../../src/monitor/labels.js';
import { MonitorMetrics, STAGE_BUCKETS_S } from '../../src/monitor/metrics.js';
import { stageLatenciesMs } from '../../src/monitor/stages.js';
import { checkStatusValue } from '../../src/monitor/status.js';
import { check, finding, passingReport, report, unreachableReport } from './fixtures/monitor-reports.js';

/** The series of a text exposition: `name{labels}` of every sample line. */
function series(text: string): string[] {
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.slice(0, l.lastIndexOf(' ')));
}

function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const metrics = (targets = [{ name: 'eu', agent: false }]) => new MonitorMetrics({ version: '0.1.0', targets, startedAtMs: 1_700_000_000_000 });

describe('monitor stages from a report', () => {
  it('takes the timeline where it has the probe\u2019s room and job (0.1 ms), the evidence otherwise', () => {
    const withTimeline = stageLatenciesMs(passingReport({ agent: true }));
    expect(withTimeline.dispatch_api).toBeCloseTo(4.4, 5);
    expect(withTimeline.job_request).toBeCloseTo(204.3, 5);
    expect(withTimeline.assignment).toBeCloseTo(2.4, 5);
    expect(withTimeline.joined).toBeCloseTo(139.1, 5);
    expect(withTimeline.agent_joined).toBe(235);
    expect(stageLatenciesMs({ ...passingReport(), timeline: [] })).toEqual({ dispatch_api: 4, job_request: 204, assignment: 2, joined: 139 });
  });

  it('has no latency for a stage whose check did not pass', () => {
    expect(stageLatenciesMs(unreachableReport())).toEqual({});
    const noJob = report([check('probe.dispatched', 'pass', { evidence: { apiMs: 3 } }), check('probe.job-received', 'fail', { evidence: { latencyMs: 10_000 } })]);
    expect(stageLatenciesMs(noJob)).toEqual({ dispatch_api: 3 });
  });
});

describe('monitor label values', () => {
  it('keeps ids and maps anything else to other', () => {
    expect(idLabel('probe.job-received')).toBe('probe.job-received');
    expect(idLabel('agent-not-registered')).toBe('agent-not-registered');
    for (const bad of ['livekit doctor', 'Room_ABC', 'a"b', 'x'.repeat(81), '', undefined]) expect(idLabel(bad)).toBe('other');
  });

  it('admits at most a fixed number of distinct values', () => {
    const causes = new BoundedValues(3);
    expect(['a', 'b', 'a', 'c', 'd', 'e', 'b'].map((c) => causes.admit(c))).toEqual(['a', 'b', 'a', 'c', 'other', 'other', 'b']);
  });

  it('maps exit codes to run results and check results to status values', () => {
    expect([0, 1, 2, 3, 130, 143, undefined].map(runResult)).toEqual(['pass', 'fail', 'config_error', 'error', 'interrupted', 'interrupted', 'error']);
    expect(checkStatusValue({ status: 'pass' })).toBe(1);
    expect(checkStatusValue({ status: 'warn' })).toBe(0.5);
    expect(checkStatusValue({ status: 'fail' })).toBe(0);
    expect(checkStatusValue({ status: 'error' })).toBe(0);
    expect(checkStatusValue({ status: 'skip', skippedBecause: 'server.reachable' })).toBe(0);
    expect(checkStatusValue({ status: 'skip' })).toBeUndefined();
    expect(checkStatusValue({ status: 'skip', skippedBecause: '--skip' })).toBeUndefined();
    expect(checkStatusValue({ status: 'skip', skippedBecause: 'interrupt' })).toBeUndefined();
  });
});

describe('monitor metrics registry', () => {
  it('names every metric livekit_doctor_* (or the standard process_/nodejs_ names), with bounded label names', async () => {
    const m = metrics();
    m.recordRun({ target: 'eu', report: passingReport(), durationMs: 500, endedAtMs: 1_700_000_001_000 });
    const text = await m.metrics();
    const names = new Set(text.split('\n').filter((l) => l.startsWith('# TYPE ')).map((l) => l.split(' ')[2]!));
    for (const n of names) expect(n).toMatch(/^(livekit_doctor_[a-z_]+|process_[a-z_]+|nodejs_[a-z_]+)$/);
    expect([...names].filter((n) => n.startsWith('livekit_doctor_')).sort()).toEqual([
      'livekit_doctor_build_info',
      'livekit_doctor_check_consecutive_failures',
      'livekit_doctor_check_status',
      'livekit_doctor_consecutive_failed_runs',
      'livekit_doctor_findings_total',
      'livekit_doctor_last_run_timestamp_seconds',
      'livekit_doctor_last_success_timestamp_seconds',
      'livekit_doctor_monitor_start_time_seconds',
      'livekit_doctor_run_duration_seconds',
      'livekit_doctor_run_in_progress',
      'livekit_doctor_run_overruns_total',
      'livekit_doctor_run_process_resident_memory_bytes',
      'livekit_doctor_runs_total',
      'livekit_doctor_stage_duration_seconds',
    ]);
    const labelNames = new Set(series(text).flatMap((s) => [...s.matchAll(/([a-z_]+)="/g)].map((x) => x[1]!)));
    expect([...labelNames].sort()).toEqual(['check', 'le', 'node', 'result', 'stage', 'target', 'version']);
    expect(sample(text, 'livekit_doctor_build_info{version="0.1.0",node="' + process.version + '"}')).toBe(1);
  });

  it('records a passing run: status 1 per check, stage histograms, a pass, the success time', async () => {
    const m = metrics();
    m.recordRun({ target: 'eu', report: passingReport(), durationMs: 512.4, endedAtMs: 1_700_000_001_000 });
    const text = await m.metrics();
    expect(sample(text, 'livekit_doctor_check_status{target="eu",check="probe.job-received"}')).toBe(1);
    expect(sample(text, 'livekit_doctor_runs_total{target="eu",result="pass"}')).toBe(1);
    expect(sample(text, 'livekit_doctor_runs_total{target="eu",result="fail"}')).toBe(0);
    expect(sample(text, 'livekit_doctor_stage_duration_seconds_count{target="eu",stage="job_request"}')).toBe(1);
    // 204.3 ms lands in the (0.2, 0.205] bucket: the buckets resolve the selection window.
    expect(sample(text, 'livekit_doctor_stage_duration_seconds_bucket{le="0.2",target="eu",stage="job_request"}')).toBe(0);
    expect(sample(text, 'livekit_doctor_stage_duration_seconds_bucket{le="0.205",target="eu",stage="job_request"}')).toBe(1);
    expect(sample(text, 'livekit_doctor_last_success_timestamp_seconds{target="eu"}')).toBe(1_700_000_001);
    expect(sample(text, 'livekit_doctor_run_duration_seconds_sum{target="eu"}')).toBeCloseTo(0.512, 6);
    expect(STAGE_BUCKETS_S.filter((b) => b >= 0.15 && b <= 0.25).length).toBeGreaterThanOrEqual(6);
  });

  it('counts failures in a row per check and per run, and findings by cause', async () => {
    const m = metrics();
    m.recordRun({ target: 'eu', report: passingReport(), durationMs: 500, endedAtMs: 1_700_000_001_000 });
    for (let i = 0; i < 3; i++) m.recordRun({ target: 'eu', report: unreachableReport([finding('server-unreachable')]), durationMs: 100, endedAtMs: 1_700_000_002_000 + i });
    let text = await m.metrics();
    expect(sample(text, 'livekit_doctor_check_status{target="eu",check="server.reachable"}')).toBe(0);
    expect(sample(text, 'livekit_doctor_check_status{target="eu",check="probe.job-received"}')).toBe(0);
    expect(sample(text, 'livekit_doctor_check_consecutive_failures{target="eu",check="probe.job-received"}')).toBe(3);
    expect(sample(text, 'livekit_doctor_consecutive_failed_runs{target="eu"}')).toBe(3);
    expect(sample(text, 'livekit_doctor_findings_total{target="eu",cause="server-unreachable"}')).toBe(3);
    expect(sample(text, 'livekit_doctor_last_success_timestamp_seconds{target="eu"}')).toBe(1_700_000_001);
    // A run that broke (no report) counts as a failure of every check it had.
    m.recordRun({ target: 'eu', durationMs: 5, endedAtMs: 1_700_000_003_000 });
    text = await m.metrics();
    expect(sample(text, 'livekit_doctor_runs_total{target="eu",result="error"}')).toBe(1);
    expect(sample(text, 'livekit_doctor_check_consecutive_failures{target="eu",check="probe.job-received"}')).toBe(4);
    m.recordRun({ target: 'eu', report: passingReport(), durationMs: 500, endedAtMs: 1_700_000_004_000 });
    text = await m.metrics();
    expect(sample(text, 'livekit_doctor_check_consecutive_failures{target="eu",check="probe.job-received"}')).toBe(0);
    expect(sample(text, 'livekit_doctor_consecutive_failed_runs{target="eu"}')).toBe(0);
  });

  it('keeps the number of series flat across runs, and bounded whatever the causes', async () => {
    const m = metrics([{ name: 'eu', agent: true }, { name: 'us', agent: false }]);
    m.recordRun({ target: 'eu', report: passingReport({ agent: true }), durationMs: 500, endedAtMs: 1 });
    m.recordRun({ target: 'us', report: passingReport(), durationMs: 500, endedAtMs: 1 });
    const after1 = series(await m.metrics()).length;
    for (let i = 0; i < 20; i++) {
      m.recordRun({ target: 'eu', report: passingReport({ agent: true }), durationMs: 400 + i, endedAtMs: 2 + i });
      m.recordRun({ target: 'us', report: passingReport(), durationMs: 400 + i, endedAtMs: 2 + i });
    }
    expect(series(await m.metrics()).length).toBe(after1);
    // 200 distinct (made-up) causes: at most MAX_CAUSES + other per target.
    for (let i = 0; i < 200; i++) m.recordRun({ target: 'us', report: unreachableReport([finding(`cause-${i}`)]), durationMs: 1, endedAtMs: 100 + i });
    const causes = series(await m.metrics()).filter((s) => s.startsWith('livekit_doctor_findings_total{target="us"'));
    expect(causes.length).toBe(MAX_CAUSES + 1);
    expect(causes).toContain('livekit_doctor_findings_total{target="us",cause="other"}');
  });

  it('never exports a room name, a job id or anything from the evidence', async () => {
    const m = metrics();
    m.recordRun({ target: 'eu', report: passingReport(), durationMs: 500, endedAtMs: 1 });
    const text = await m.metrics();
    for (const s of ['livekit-doctor-67add8b17f', 'AJ_', 'AD_', 'ws://']) expect(text).not.toContain(s);
  });
});

describe('monitor --json run line', () => {
  it('is one versioned JSON document per run, redacted, with stage latencies in ms', async () => {
    const { formatRunLine, runLine, MONITOR_RUN_SCHEMA } = await import('../../src/monitor/run-line.js');
    const { registerSecret } = await import('../../src/core/redact.js');
    const line = runLine({ target: 'eu', run: 3, startedAtMs: Date.UTC(2026, 10, 26, 5, 47, 48), durationMs: 512.6, report: passingReport() });
    expect(line).toMatchObject({ schema: MONITOR_RUN_SCHEMA, target: 'eu', run: 3, startedAt: '2026-11-26T05:47:48.000Z', durationMs: 513, result: 'pass', exitCode: 0, stagesMs: { job_request: 204.3, joined: 139.1 } });
    expect(line.checks.map((c) => c.id)).toContain('probe.job-received');
    registerSecret('run-line-secret-0123456789');
    const broken = formatRunLine(runLine({ target: 'eu', run: 4, startedAtMs: 0, durationMs: 5, error: 'the server said run-line-secret-0123456789' }));
    expect(broken).not.toContain('\n');
    expect(JSON.parse(broken)).toMatchObject({ result: 'error', exitCode: null, summary: null, checks: [], error: 'the server said [redacted]' });
  });
});
