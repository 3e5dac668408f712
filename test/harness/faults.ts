/**
 * The fault suite's one assertion: a run under a fault (network, signal, bad input) passes when it has
 *   1. the documented exit code,
 *   2. ended within its deadline,
 *   3. one line naming the problem,
 *   4. no stack trace,
 *   5. no secret or JWT in any output,
 *   6. no `livekit-doctor-*` room (or dispatch) left on the server.
 * Every case in test/faults/ ends in expectFaultHandled.
 */
import { expect } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RoomServiceClient } from 'livekit-server-sdk';
import { cliPath, runCli, type CliOptions, type CliRun } from './cli.js';
import { doctorLeftovers } from './leftovers.js';
import { expectNoSecrets, JWT_HEADER, JWT_LIKE } from './scenarios.js';
import type { LiveKitServer } from './server.js';

export interface FaultExpectation {
  /** The documented exit code(s): a degraded network may decide either way, a fault never crashes (3). */
  exit: number | readonly number[];
  /** The run must have ended within this (ms since spawn). */
  deadlineMs: number;
  /** A line of stdout or stderr that names the problem. */
  line: RegExp;
  /** The server whose rooms must all be gone (omitted: no server involved, or it is dead). */
  server?: LiveKitServer;
  /** More secrets the case passed on the command line. */
  secrets?: readonly string[];
}

/** A stack frame as Node prints it (`    at fn (file.js:1:2)`). */
const STACK_FRAME = /^\s+at (?:.+ \()?(?:file:\/\/|node:|\/)[^)]*:\d+:\d+\)?$/m;

export async function expectFaultHandled(run: CliRun, exp: FaultExpectation): Promise<void> {
  const text = `${run.stdout}\n${run.stderr}`;
  if (process.env.FAULT_DEBUG) process.stderr.write(`--- exit ${run.code} ${Math.round(run.durationMs)} ms\n${text.slice(-3000)}\n`);
  const context = `exit ${run.code} (signal ${run.signal}) after ${Math.round(run.durationMs)} ms\nstderr:\n${run.stderr.slice(-2500)}\nstdout:\n${run.stdout.slice(-2500)}`;
  const exits = typeof exp.exit === 'number' ? [exp.exit] : exp.exit;
  // Killed by the signal itself (it landed before the doctor trapped it, while nothing existed yet): the
  // shell reports 128 + n, the same code the doctor gives after its cleanup.
  const code = run.code ?? (run.signal === 'SIGINT' ? 130 : run.signal === 'SIGTERM' ? 143 : null);
  expect(exits, context).toContain(code);
  expect(run.durationMs, context).toBeLessThan(exp.deadlineMs);
  expect(text.split('\n').some((l) => exp.line.test(l)), `no line matching ${exp.line}\n${context}`).toBe(true);
  expect(text, context).not.toMatch(STACK_FRAME);
  expect(text, context).not.toMatch(/internal error/);
  expectNoSecrets(run, ...(exp.server ? [exp.server] : []), { secrets: exp.secrets ?? [], patterns: [JWT_LIKE, JWT_HEADER] });
  if (exp.server) await expectNoDoctorRooms(exp.server, context);
}

/** No livekit-doctor room or dispatch on the server. */
export async function expectNoDoctorRooms(server: LiveKitServer, context = ''): Promise<void> {
  expect(await doctorLeftovers(server), context).toEqual({ rooms: [], dispatches: [] });
}

/** Deletes every livekit-doctor room (between cases, so that one failed case does not fail the next). */
export async function removeDoctorRooms(server: LiveKitServer): Promise<void> {
  const { key, secret } = server.keys[0]!;
  const rooms = new RoomServiceClient(server.httpUrl, key, secret);
  for (const r of await rooms.listRooms().catch(() => [])) if (r.name.startsWith('livekit-doctor')) await rooms.deleteRoom(r.name).catch(() => {});
}

/** Runs the CLI as runCli does. */
export const runFault = (args: string[], opts: CliOptions = {}): Promise<CliRun> => runCli(args, { timeoutMs: 90_000, ...opts });

/**
 * Runs bin/livekit-doctor.js itself (its shebang, as an installed `livekit-doctor` command is run), not
 * `node bin/…`: what Node does with the command line before the doctor starts is part of the case.
 */
export function runBin(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {}): Promise<CliRun> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('LIVEKIT_') && k !== 'NODE_OPTIONS' && !k.startsWith('VITEST')) env[k] = v;
  Object.assign(env, { HOME: mkdtempSync(join(tmpdir(), 'lkd-home-')), NO_COLOR: '1' }, opts.env ?? {});
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cliPath, args, { cwd: opts.cwd ?? mkdtempSync(join(tmpdir(), 'lkd-cwd-')), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, durationMs: performance.now() - started });
    });
  });
}

/** Sends `signal` once stderr or stdout matches `when` (a point of the run), or after `afterMs` as a fallback. */
export function signalAt(signal: NodeJS.Signals, opts: { when?: RegExp; afterMs: number }): CliOptions['onSpawn'] {
  return (child, out) => {
    let sent = false;
    const send = () => {
      if (sent || child.exitCode !== null) return;
      sent = true;
      child.kill(signal);
    };
    const fallback = setTimeout(send, opts.afterMs);
    if (opts.when) {
      const poll = setInterval(() => {
        if (opts.when!.test(out.stderr()) || opts.when!.test(out.stdout())) {
          clearInterval(poll);
          send();
        }
      }, 20);
      child.once('close', () => clearInterval(poll));
    }
    child.once('close', () => clearTimeout(fallback));
  };
}

/**
 * Calls `fn` once the server's own log, from now on, has a line matching `pattern` (e.g. the doctor's
 * CreateRoom): a point of the run fixed by what the server saw, not by a timer. Polls every 20 ms for at
 * most `maxMs`; returns a function that stops the watch.
 */
export function whenServerLogs(server: LiveKitServer, pattern: RegExp, fn: () => void, maxMs = 30_000): () => void {
  const from = server.log().length;
  const started = Date.now();
  const timer = setInterval(() => {
    if (pattern.test(server.log().slice(from))) {
      clearInterval(timer);
      fn();
    } else if (Date.now() - started > maxMs) clearInterval(timer);
  }, 20);
  return () => clearInterval(timer);
}
