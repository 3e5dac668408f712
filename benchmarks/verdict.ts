/**
 * "Time to verdict" for `npm run bench`: each scenario next to its floor, measured in the same run on the
 * same server (whole process, spawn to exit; medians of BENCH_RUNS runs, at least 5):
 *  1. healthy probe-only `check` vs a raw protocol script (register → dispatch → job → join → delete, no checks);
 *  2. no worker, `--server-log` (aim ≤ 1.5 s): the verdict, the decision, and the server's own "not dispatching…" line;
 *  3. name mismatch via `--agent-http` (an endpoint whose /worker names another agent) vs the healthy probe-only run;
 *  4. crash before join, `--server-log`, against the Python crash fixture (aim ≤ 3 s).
 */
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LiveKitServer } from '../test/harness/server.js';
import { startAgent } from '../test/harness/agents.js';
import { fmtMs, fmtSpread, spread, timedRun, type Spread } from './measure.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(repoRoot, 'bin', 'livekit-doctor.js');
type Row = [string, string, string];

/** The floor of a healthy check: the protocol steps alone, as a hand-written script would do them. */
const RAW_SCRIPT = `
import WebSocket from 'ws';
import { AccessToken, RoomServiceClient, AgentDispatchClient } from 'livekit-server-sdk';
import { JobType, ServerMessage, WorkerMessage } from '@livekit/protocol';
import { Room, dispose } from '@livekit/rtc-node';
const [url, httpUrl, key, secret, name] = process.argv.slice(1);
const t = new AccessToken(key, secret, { ttl: '10m' }); t.addGrant({ agent: true });
const ws = new WebSocket(url + '/agent', { headers: { Authorization: 'Bearer ' + (await t.toJwt()) } });
const next = (c) => new Promise((res) => ws.on('message', function f(d) { const m = ServerMessage.fromBinary(new Uint8Array(d)); if (m.message.case === c) { ws.off('message', f); res(m.message.value); } }));
await new Promise((r) => ws.once('open', r));
const reg = next('register');
ws.send(new WorkerMessage({ message: { case: 'register', value: { type: JobType.JT_ROOM, agentName: name, version: 'raw' } } }).toBinary());
await reg;
const room = 'livekit-doctor-raw-' + Math.random().toString(36).slice(2, 8);
const rooms = new RoomServiceClient(httpUrl, key, secret);
await rooms.createRoom({ name: room, emptyTimeout: 60 });
const avail = next('availability');
await new AgentDispatchClient(httpUrl, key, secret).createDispatch(room, name);
const job = (await avail).job;
const assigned = next('assignment');
ws.send(new WorkerMessage({ message: { case: 'availability', value: { jobId: job.id, available: true, participantIdentity: 'raw-' + job.id } } }).toBinary());
const a = await assigned;
const r = new Room();
await r.connect(url, a.token, { autoSubscribe: false, dynacast: false });
await r.disconnect();
await rooms.deleteRoom(room);
ws.close();
await dispose();
process.exit(0);
`;

interface Sample {
  wallMs: number;
  report?: { checks: { id: string; evidence?: Record<string, unknown> }[]; findings: { cause: string }[]; timeline: { atMs: number; type: string; detail?: Record<string, unknown> }[]; startedAt: string };
}

async function doctor(server: LiveKitServer, env: NodeJS.ProcessEnv, args: string[]): Promise<Sample> {
  const { key, secret } = server.keys[0]!;
  const run = await timedRun(process.execPath, [cli, '--url', server.url, '--api-key', key, '--api-secret', secret, '--no-env-file', 'check', ...args, '--json'], { env, timeoutMs: 90_000 });
  try {
    return { wallMs: run.wallMs, report: JSON.parse(run.stdout) as Sample['report'] };
  } catch {
    throw new Error(`check ${args.join(' ')} printed no report (exit ${run.code}): ${run.stderr.slice(-1500)}`);
  }
}

function decidedAfter(s: Sample, check: string): number | undefined {
  const by = s.report?.checks.find((c) => c.id === check)?.evidence?.decidedBy as { afterDispatchMs?: number } | undefined;
  return by?.afterDispatchMs;
}

/** The "not dispatching…" line's own time after the dispatch (server clock vs the doctor's, offset-corrected). */
function noWorkerLineAfterDispatch(server: LiveKitServer, s: Sample, name: string): number | undefined {
  const sent = s.report?.timeline.find((e) => e.type === 'dispatch-sent' && e.detail?.agentName === name);
  if (!sent || !s.report) return undefined;
  const offset = (s.report as unknown as { server?: { clockOffsetMs?: number } }).server?.clockOffsetMs ?? 0;
  const sentServer = new Date(s.report.startedAt).getTime() + sent.atMs - offset;
  const line = server.log().split('\n').find((l) => l.includes('not dispatching agent job') && l.includes(`"agentName": "${name}"`));
  return line ? new Date(line.split('\t')[0]!).getTime() - sentServer : undefined;
}

function fakeEndpoint(agentName: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/worker')) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ agent_name: agentName, agent_name_is_env: false, deployment: '', worker_type: 'JT_ROOM', active_jobs: 0, sdk_version: '1.9.0', project_type: 'nodejs', protocol_version: 1 }));
    } else res.end('OK');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server })));
}

export async function verdictRows(server: LiveKitServer, env: NodeJS.ProcessEnv, runs: number): Promise<Row[]> {
  const n = Math.max(5, runs);
  const { key, secret } = server.keys[0]!;
  const wait = ['--wait', '30'];
  const raw: number[] = [];
  const healthy: number[] = [];
  const noWorker: number[] = [];
  const noWorkerDecided: number[] = [];
  const noWorkerLine: number[] = [];
  // The server's own line comes ~5 s after the dispatch, after the doctor's verdict: read once all rounds ran.
  const noWorkerRuns: { run: Sample; name: string }[] = [];
  const mismatch: number[] = [];
  const crash: number[] = [];
  const crashDecided: number[] = [];
  const endpoint = await fakeEndpoint('Other-Agent');
  const crashAgent = await startAgent({ framework: 'python', url: server.url, apiKey: key, apiSecret: secret, agentName: `bench-crash-${randomBytes(3).toString('hex')}`, behaviour: 'crash' });
  try {
    for (let i = 0; i < n; i++) {
      const r = await timedRun(process.execPath, ['--input-type=module', '-e', RAW_SCRIPT, server.url, server.httpUrl, key, secret, `bench-raw-${randomBytes(3).toString('hex')}`], { env, timeoutMs: 30_000 });
      if (r.code !== 0) throw new Error(`raw protocol script exited ${r.code}: ${r.stderr.slice(-1500)}`);
      raw.push(r.wallMs);
      healthy.push((await doctor(server, env, [])).wallMs);
      const name = `bench-nobody-${randomBytes(3).toString('hex')}`;
      const nw = await doctor(server, env, ['--agent', name, '--server-log', server.logFile, ...wait]);
      noWorker.push(nw.wallMs);
      const decided = decidedAfter(nw, 'agent.job-taken');
      if (decided !== undefined) noWorkerDecided.push(decided);
      noWorkerRuns.push({ run: nw, name });
      mismatch.push((await doctor(server, env, ['--agent', 'other-agent', '--agent-http', endpoint.url, ...wait])).wallMs);
      const cr = await doctor(server, env, ['--agent', crashAgent.agentName, '--server-log', server.logFile, ...wait]);
      crash.push(cr.wallMs);
      const crDecided = decidedAfter(cr, 'agent.joined');
      if (crDecided !== undefined) crashDecided.push(crDecided);
      process.stderr.write(`  verdict round ${i + 1}/${n}: raw ${fmtMs(r.wallMs)}, healthy ${fmtMs(healthy.at(-1)!)}, no worker ${fmtMs(nw.wallMs)}, mismatch ${fmtMs(mismatch.at(-1)!)}, crash ${fmtMs(cr.wallMs)}\n`);
    }
    for (let i = 0; i < 80 && noWorkerRuns.some((r) => noWorkerLineAfterDispatch(server, r.run, r.name) === undefined); i++) await new Promise((r) => setTimeout(r, 100));
    for (const r of noWorkerRuns) {
      const line = noWorkerLineAfterDispatch(server, r.run, r.name);
      if (line !== undefined) noWorkerLine.push(line);
    }
  } finally {
    endpoint.server.close();
    await crashAgent.stop().catch(() => {});
  }
  const x = (v: number) => `${v.toFixed(2)}×`;
  const s = (v: number[]) => (v.length ? spread(v) : undefined);
  const show = (v: Spread | undefined) => (v ? fmtSpread(v) : 'not seen');
  const ratio = (a: number[], b: number[]) => spread(a.map((v, i) => v / b[i]!));
  const hRatio = ratio(healthy, raw);
  const mRatio = ratio(mismatch, healthy);
  const nwS = spread(noWorker);
  const lineS = s(noWorkerLine);
  const crS = spread(crash);
  return [
    ['e. time to verdict (--wait 30)', '', ''],
    ['e.   raw protocol script (floor)', fmtSpread(spread(raw)), 'register → dispatch → job → join → delete, no checks'],
    ['e.   healthy probe-only check', fmtSpread(spread(healthy)), ''],
    ['e.   ratio check / raw script', fmtSpread(hRatio, x), hRatio.median <= 1.25 ? 'ok (aim ≤ 1.25×)' : 'OVER the 1.25× aim'],
    ['e.   no worker, --server-log', fmtSpread(nwS), nwS.median <= 1500 ? 'ok (aim ≤ 1.5 s)' : 'over 1.5 s: the floor below is the server\'s own line'],
    ['e.     server logs "not dispatching…"', show(lineS), 'after the dispatch (~5 s: the first dispatch after any worker registered, the probe included, waits out a 5 s call)'],
    ['e.     doctor decided', show(s(noWorkerDecided)), 'after the dispatch: the log shows every registration since the server started, so it decides a selection window after the dispatch'],
    ['e.   name mismatch, --agent-http', fmtSpread(spread(mismatch)), ''],
    ['e.   ratio mismatch / healthy', fmtSpread(mRatio, x), mRatio.median <= 1.3 ? 'ok (aim ≤ 1.3×)' : 'OVER the 1.3× aim'],
    ['e.   crash before join, --server-log', fmtSpread(crS), crS.median <= 3000 ? 'ok (aim ≤ 3 s)' : 'OVER the 3 s aim'],
    ['e.     decided (job ended, no join)', show(s(crashDecided)), 'after the dispatch (Python fixture: crashes 1 s into its entrypoint)'],
  ];
}
