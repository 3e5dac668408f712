import { describe, it, expect } from 'vitest';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseServerLog, correlate, classifyServerLog, readServerLog, type LogEntry } from '../../src/evidence/server-log.js';
import { UsageError } from '../../src/core/errors.js';
import { registerSecret } from '../../src/core/redact.js';

// Captured from a real livekit-server v1.13.5 by test/fixtures/logs/capture.ts.
const fixture = (format: 'console' | 'json') =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'logs', `livekit-server-v1.13.5-${format}.log`), 'utf8');

/** The window a caller would use: from the CreateDispatch API line for that room to 7 s later. */
function windowFor(entries: LogEntry[], room: string) {
  const api = entries.find((e) => e.message === 'API AgentDispatchService.CreateDispatch' && e.fields.room === room);
  if (!api) throw new Error(`no CreateDispatch line for ${room} in fixture`);
  return { since: new Date(api.time.getTime() - 500), until: new Date(api.time.getTime() + 7000) };
}

for (const format of ['console', 'json'] as const) {
  describe(`server log (${format} format, real v1.13.5 sample)`, () => {
    const parsed = parseServerLog(fixture(format));
    const verdictsFor = (room: string, agent: string, agentJoined = false) =>
      classifyServerLog(correlate(parsed.entries, { ...windowFor(parsed.entries, room), rooms: [room], agentNames: [agent] }), {
        dispatchedName: agent,
        agentJoined,
      });

    it('detects the format and parses every line', () => {
      expect(parsed.format).toBe(format);
      expect(parsed.unparsed).toBe(0);
      expect(parsed.entries.length).toBeGreaterThan(40);
      const registered = parsed.entries.find((e) => e.message === 'worker registered');
      expect(registered?.fields).toMatchObject({ agentName: 'sample-agent', jobType: 'JT_ROOM' });
      expect(String(registered?.fields.workerID)).toMatch(/^AW_/);
      expect(registered?.time.getUTCFullYear()).toBe(2026);
      expect(registered?.level).toBe('info');
      expect(registered?.logger).toBe('livekit.agents');
    });

    it('unknown name: no-worker-for-name, with the registered name that differs only by case', () => {
      const [first, ...rest] = verdictsFor('sample-room-unknown-name', 'Sample-Agent');
      expect(first?.cause).toBe('no-worker-for-name');
      expect(first?.probableIntent?.map((i) => i.agentName)).toEqual(['sample-agent']);
      expect(first?.summary).toMatch(/case differs/);
      expect(first?.evidence[0]).toMatch(/not dispatching agent job since no worker is available/);
      expect(rest.map((v) => v.cause)).not.toContain('assigned-and-joined');
    });

    it('healthy worker: assigned-and-joined when the agent joined, assigned-not-joined when it did not', () => {
      const joined = verdictsFor('sample-room-healthy', 'sample-agent', true);
      expect(joined.map((v) => v.cause)).toEqual(['assigned-and-joined']);
      expect(joined[0]?.jobId).toMatch(/^AJ_/);
      expect(joined[0]?.evidence[0]).toMatch(/assigned job to worker/);
      const crashed = verdictsFor('sample-room-healthy', 'sample-agent', false);
      expect(crashed.map((v) => v.cause)).toEqual(['assigned-not-joined']);
      expect(crashed[0]?.summary).toContain(crashed[0]!.jobId!);
      expect(crashed[0]?.fix.text).toContain(crashed[0]!.jobId!);
    });

    it('late worker: answer-timeout, with the late answer as evidence', () => {
      const verdicts = verdictsFor('sample-room-late', 'late-agent');
      expect(verdicts.map((v) => v.cause)).toEqual(['answer-timeout']);
      const text = verdicts[0]!.evidence.join('\n');
      expect(text).toMatch(/failed to assign job to worker/);
      expect(text).toMatch(/request timed out/);
      expect(text).toMatch(/received availability response for unknown job/);
      expect(verdicts[0]?.summary).toMatch(/answer arrived \d+\.\d s after/);
    });

    it('full worker: worker-full', () => {
      const verdicts = verdictsFor('sample-room-full', 'full-agent');
      expect(verdicts.map((v) => v.cause)).toEqual(['worker-full']);
      expect(verdicts[0]?.evidence.join('\n')).toMatch(/no servers available/);
    });

    it('worker answers available:false: job-rejected, not no-capacity', () => {
      const verdicts = verdictsFor('sample-room-rejected', 'rejecting-agent');
      expect(verdicts.map((v) => v.cause)).toEqual(['job-rejected']);
      expect(verdicts[0]?.evidence.join('\n')).toMatch(/worker not available[\s\S]*no worker available to handle job/);
    });

    it('ignores other time windows and other rooms', () => {
      const { since } = windowFor(parsed.entries, 'sample-room-unknown-name');
      const before = correlate(parsed.entries, {
        since: new Date(since.getTime() - 60_000),
        until: new Date(since.getTime() - 1),
        rooms: ['sample-room-unknown-name'],
        agentNames: ['Sample-Agent'],
      });
      expect(before.noWorkerForName).toEqual([]);
      expect(classifyServerLog(before, { dispatchedName: 'Sample-Agent', agentJoined: false }).map((v) => v.cause)).toEqual(['nothing-logged']);

      const wholeLog = { since: new Date(0), until: new Date(8.64e15) };
      const healthyOnly = correlate(parsed.entries, { ...wholeLog, rooms: ['sample-room-healthy'], agentNames: ['sample-agent'] });
      expect(healthyOnly.assigned).toHaveLength(1);
      expect(healthyOnly.noWorkerForName).toEqual([]);
      expect(healthyOnly.assignFailed).toEqual([]);
      // The automatic (unnamed) dispatch's failures carry agentName "" and must not be attributed.
      expect(healthyOnly.jobRequestFailed).toEqual([]);
    });

    it('keeps a worker registered before the window, and drops it once it deregistered before the window', () => {
      const last = parsed.entries.at(-1)!.time;
      const after = correlate(parsed.entries, { since: new Date(last.getTime() + 1000), until: new Date(last.getTime() + 2000), rooms: ['x'], agentNames: ['x'] });
      expect(after.registeredWorkers).toEqual([]);
      const during = correlate(parsed.entries, { ...windowFor(parsed.entries, 'sample-room-full'), rooms: ['x'], agentNames: ['x'] });
      expect(during.registeredWorkers.map((w) => w.agentName)).toEqual(expect.arrayContaining(['full-agent', 'late-agent', 'sample-agent']));
      const rejectWindow = correlate(parsed.entries, { ...windowFor(parsed.entries, 'sample-room-rejected'), rooms: ['x'], agentNames: ['x'] });
      expect(rejectWindow.registeredWorkers.map((w) => w.agentName)).toContain('rejecting-agent');
    });

    it('quotes mask the API key', () => {
      const verdicts = verdictsFor('sample-room-healthy', 'sample-agent', true);
      expect(verdicts[0]!.evidence[0]).toContain('"apiKey"');
      expect(verdicts[0]!.evidence[0]).not.toContain('APIsamplekey');
    });
  });
}

describe('parseServerLog edge cases', () => {
  it('a garbage file is one clear UsageError line', () => {
    let error: unknown;
    try {
      parseServerLog('hello world\nthis is not a log\n{"json":"but not zap"}\n');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/none of its 3 non-empty lines is a livekit-server log line/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('an empty file is a UsageError', () => {
    expect(() => parseServerLog('\n\n')).toThrow(/it is empty/);
  });

  it('accepts prefixed lines (docker compose) and zap offsets like +0100, counts stack traces as unparsed', () => {
    const text = [
      'livekit-1  | 2026-11-26T06:40:54.513+0100\tINFO\tlivekit.agents\tservice/agentservice.go:303\tworker registered\t{"agentName": "a", "workerID": "AW_1", "jobType": "JT_ROOM"}',
      'goroutine 1 [running]:',
      '2026-11-26T05:40:55.000Z\tWARN\tlivekit\tservice/x.go:1\tno fields here',
    ].join('\n');
    const parsed = parseServerLog(text);
    expect(parsed.format).toBe('console');
    expect(parsed.unparsed).toBe(1);
    expect(parsed.entries[0]!.time.toISOString()).toBe('2026-11-26T05:40:54.513Z');
    expect(parsed.entries[1]).toMatchObject({ message: 'no fields here', fields: {}, level: 'warn', line: 3 });
  });

  it('no-capacity: a job the server found no worker for, without a rejection before it (shape from the v1.13.5 source)', () => {
    const line = `2026-11-26T05:40:54.513Z\tWARN\tlivekit.agents\tservice/agentservice.go:402\tno worker available to handle job\t{"jobID": "AJ_1", "agentName": "a", "jobType": "JT_ROOM", "room": "r", "error": "no workers available"}`;
    const evidence = correlate(parseServerLog(line).entries, { since: new Date(0), until: new Date(8.64e15), rooms: ['r'], agentNames: ['a'] });
    const verdicts = classifyServerLog(evidence, { dispatchedName: 'a', agentJoined: false });
    expect(verdicts.map((v) => v.cause)).toEqual(['no-capacity']);
    expect(verdicts[0]!.summary).toContain('no workers available');
  });

  it('quotes never carry a registered secret or a JWT', () => {
    const secret = 'SECRETLEAKCANARYunit0123456789abcdef';
    registerSecret(secret);
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJl';
    const line = `2026-11-26T05:40:54.513Z\tINFO\tlivekit\tagent/client.go:150\tnot dispatching agent job since no worker is available\t{"agentName": "a", "room": "r", "note": "${secret} ${jwt}"}`;
    const parsed = parseServerLog(line);
    const evidence = correlate(parsed.entries, { since: new Date(0), until: new Date(8.64e15), rooms: ['r'], agentNames: ['a'] });
    const text = JSON.stringify(classifyServerLog(evidence, { dispatchedName: 'a', agentJoined: false }));
    expect(text).toContain('not dispatching');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(jwt);
  });
});

describe('readServerLog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lkd-log-'));

  it('a missing file is a UsageError naming the path', async () => {
    await expect(readServerLog(join(dir, 'nope.log'))).rejects.toThrow(/nope\.log: no such file/);
    await expect(readServerLog(join(dir, 'nope.log'))).rejects.toBeInstanceOf(UsageError);
  });

  it('keeps the most recent part of a file over the limit, starting at a whole line', async () => {
    const file = join(dir, 'big.log');
    writeFileSync(file, 'line-1 old\nline-2 middle\nline-3 newest\n');
    const read = await readServerLog(file, { maxBytes: 20 });
    expect(read.truncated).toBe(true);
    expect(read.text).toBe('line-3 newest\n');
  });

  it('reads stdin up to the limit and stops', async () => {
    const stdin = Readable.from(['a\n', 'b\n', 'c'.repeat(50), '\n']);
    const read = await readServerLog('-', { stdin, maxBytes: 10 });
    expect(read).toMatchObject({ source: 'stdin', truncated: true, text: 'a\nb\n' });
  });

  it('stops reading a stdin that never ends after the timeout', async () => {
    const stdin = new Readable({ read() {} });
    stdin.push('partial line\n');
    const started = performance.now();
    const read = await readServerLog('-', { stdin, stdinTimeoutMs: 200 });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(read.text).toBe('partial line\n');
    stdin.destroy();
  });
});

describe('no worker decided from the registrations of a log that covers the server since it started', () => {
  const at = (s: number) => `2026-12-01T12:00:${String(s).padStart(2, '0')}.000Z`;
  const line = (s: number, level: string, logger: string, caller: string, message: string, fields?: object) =>
    `${at(s)}\t${level}\t${logger}\t${caller}\t${message}${fields ? `\t${JSON.stringify(fields)}` : ''}`;
  const SINGLE = line(0, 'INFO', 'livekit', 'routing/interfaces.go:181', 'using single-node routing');
  const START = line(1, 'INFO', 'livekit', 'service/server.go:292', 'starting LiveKit server', { portHttp: 7880, nodeID: 'ND_1', version: '1.13.5' });
  const registered = (s: number, name: string, id: string, jobType = 'JT_ROOM') =>
    line(s, 'INFO', 'livekit.agents', 'service/agentservice.go:303', 'worker registered', { namespace: '', jobType, agentName: name, workerID: id });
  const deregistered = (s: number, name: string, id: string) =>
    line(s, 'INFO', 'livekit.agents', 'service/agentservice.go:338', 'last worker deregistered', { namespace: '', jobType: 'JT_ROOM', agentName: name, workerID: id });
  const DISPATCH = line(20, 'INFO', 'livekit.api', 'service/twirp.go:149', 'API AgentDispatchService.CreateDispatch', { service: 'AgentDispatchService', room: 'r', request: { agentName: 'x', room: 'r' }, status: '200' });
  const classify = (lines: string[], sinceDispatchMs: number | null = 400) => {
    const evidence = correlate(parseServerLog(lines.join('\n')).entries, { since: new Date(at(19)), until: new Date(at(25)), rooms: ['r'], agentNames: ['x'] });
    return classifyServerLog(evidence, { dispatchedName: 'x', agentJoined: false, ...(sinceDispatchMs === null ? {} : { sinceDispatchMs }) });
  };

  it('no worker named x ever registered: no-worker-for-name, citing the dispatch and the start lines', () => {
    const [v] = classify([SINGLE, START, registered(5, 'other', 'AW_o'), DISPATCH]);
    expect(v!.cause).toBe('no-worker-for-name');
    expect(v!.evidence[0]).toMatch(/^line 4: .*CreateDispatch/);
    expect(v!.evidence[1]).toMatch(/^line 2: .*starting LiveKit server/);
    expect(v!.evidence[2]).toMatch(/covers this server since it started \(line 2, single-node routing\)/);
  });

  it('within the selection window, or without the time since the dispatch, it does not decide yet', () => {
    expect(classify([SINGLE, START, DISPATCH], 100).map((v) => v.cause)).toEqual(['nothing-logged']);
    expect(classify([SINGLE, START, DISPATCH], null).map((v) => v.cause)).toEqual(['nothing-logged']);
  });

  it('a worker named x registered and still there: no verdict from the registry (the server decides)', () => {
    expect(classify([SINGLE, START, registered(5, 'x', 'AW_x'), DISPATCH]).map((v) => v.cause)).toEqual(['nothing-logged']);
  });

  it('the last worker named x left before the dispatch, or the server restarted since it registered: no worker', () => {
    expect(classify([SINGLE, START, registered(5, 'x', 'AW_x'), deregistered(18, 'x', 'AW_x'), DISPATCH])[0]!.cause).toBe('no-worker-for-name');
    const restarted = [SINGLE, START, registered(5, 'x', 'AW_x'), line(10, 'INFO', 'livekit', 'routing/interfaces.go:181', 'using single-node routing'), line(11, 'INFO', 'livekit', 'service/server.go:292', 'starting LiveKit server', { nodeID: 'ND_2' }), DISPATCH];
    expect(classify(restarted)[0]!.evidence[1]).toMatch(/^line 5: /);
  });

  it('a worker named x for publisher jobs only: no worker for this room dispatch, and the job type is named', () => {
    const [v] = classify([SINGLE, START, registered(5, 'x', 'AW_p', 'JT_PUBLISHER'), DISPATCH]);
    expect(v!.cause).toBe('no-worker-for-name');
    expect(v!.summary).toMatch(/job type JT_PUBLISHER/);
  });

  it('never decides from a log that cannot show every worker: no start line, multi-node routing, or not caught up with the dispatch', () => {
    expect(classify([registered(5, 'other', 'AW_o'), DISPATCH]).map((v) => v.cause)).toEqual(['nothing-logged']);
    const multi = line(0, 'INFO', 'livekit', 'routing/interfaces.go:181', 'using multi-node routing via redis', { addr: '127.0.0.1:6379' });
    expect(classify([multi, START, DISPATCH]).map((v) => v.cause)).toEqual(['nothing-logged']);
    expect(classify([SINGLE, START, registered(5, 'other', 'AW_o')]).map((v) => v.cause)).toEqual(['nothing-logged']);
  });
});
