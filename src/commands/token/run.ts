import { ExitCode, UsageError } from '../../core/errors.js';
import { resolveSettings } from '../../config/index.js';
import { maskKey, redact } from '../../core/redact.js';
import { cleanTokenInput, inspectToken, inspectTokenVerified, liveRoomProblem, TokenFormatError } from '../../livekit/token-inspect.js';
import { ServerApi } from '../../livekit/server-api.js';
import type { Connection } from '../../config/types.js';
import { inspectionJson, renderInspectionText, type TokenReportInput } from './render.js';
import type { GlobalOptions } from '../shared.js';
import type { TokenCreateOptions } from './options.js';

const STDIN_LIMIT = 64 * 1024;
const STDIN_DEADLINE_MS = 10_000;

/** A pasted token is small; a stdin that never ends (a forgotten pipe) must not hang the run. */
async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError('no token given: pass it as an argument, or pipe it in with "-"');
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => done(() => reject(new UsageError(`no token arrived on stdin within ${STDIN_DEADLINE_MS / 1000} s`))), STDIN_DEADLINE_MS);
    const done = (fn: () => void) => {
      clearTimeout(timer);
      process.stdin.removeAllListeners('data');
      process.stdin.pause();
      fn();
    };
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > STDIN_LIMIT) done(() => resolve(text.slice(0, STDIN_LIMIT)));
    });
    process.stdin.once('end', () => done(() => resolve(text)));
    process.stdin.once('error', (err) => done(() => reject(err)));
  });
}

/** The server's view: its clock and whether the token's room is live. Failures become a note, not an exit. */
export async function askServer(connection: Connection, roomName: string | undefined): Promise<{ serverNowMs?: number; room?: TokenReportInput['room']; note?: string }> {
  const api = new ServerApi(connection);
  const out: { serverNowMs?: number; room?: TokenReportInput['room']; note?: string } = {};
  try {
    const probe = await api.probeHttp();
    if (probe.clockOffsetMs !== undefined) out.serverNowMs = Date.now() - probe.clockOffsetMs;
  } catch (err) {
    out.note = `server clock unknown: ${err instanceof Error ? err.message : String(err)}`;
    return out;
  }
  if (!roomName) return out;
  try {
    const [live] = await api.listRooms([roomName]);
    out.room = live ? { name: roomName, live: true, createdAtMs: live.createdAtMs, numParticipants: live.numParticipants } : { name: roomName, live: false };
  } catch (err) {
    out.note = `could not ask whether room "${roomName}" is live: ${err instanceof Error ? err.message : String(err)}`;
  }
  return out;
}

export async function runTokenInspect(globals: GlobalOptions, arg: string | undefined): Promise<number> {
  const raw = arg === undefined || arg === '-' ? await readStdin() : arg;
  // As its --help says: no token given is a usage error (2); anything given that is not a valid token is invalid (1).
  if (!raw.trim()) throw new UsageError('no token given: the input was empty');
  const { settings, connection } = await resolveSettings(globals);
  const opts = { apiKey: settings.apiKey?.value, apiSecret: settings.apiSecret?.value };
  let jwt: string;
  let inspection;
  try {
    jwt = cleanTokenInput(raw);
    inspection = await inspectTokenVerified(jwt, opts);
  } catch (err) {
    if (!(err instanceof TokenFormatError)) throw err;
    process.stderr.write(`livekit-doctor: invalid token: ${redact(err.message)}\n`);
    return ExitCode.failed;
  }
  const input: TokenReportInput = { inspection };
  if (connection) {
    const room = typeof inspection.claims.video.room === 'string' ? inspection.claims.video.room : undefined;
    const server = await askServer(connection, room);
    if (server.serverNowMs !== undefined) inspection = inspectToken(jwt, { ...opts, serverNowMs: server.serverNowMs, signature: inspection.signature });
    input.inspection = inspection;
    input.room = server.room;
    input.serverNote = server.note;
    if (server.room?.live && server.room.createdAtMs !== undefined) {
      const p = liveRoomProblem(inspection, { name: server.room.name, createdAtMs: server.room.createdAtMs, numParticipants: server.room.numParticipants ?? 0 });
      if (p) inspection.problems.push(p);
    }
  } else {
    input.serverNote = 'no server configured (--url with key and secret): server clock and live room not checked';
  }
  if (globals.json) process.stdout.write(`${redact(JSON.stringify(inspectionJson(input), null, 2))}\n`);
  else process.stdout.write(`${redact(renderInspectionText(input).join('\n'))}\n`);
  return inspection.valid ? ExitCode.ok : ExitCode.failed;
}

function parseTtl(ttl: string): string | number {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(ttl.trim());
  if (!m || Number(m[1]) <= 0) throw new UsageError(`--ttl "${ttl}" is not a duration: use seconds or 30m, 1h, 2d`);
  return m[2] ? `${m[1]}${m[2]}` : Number(m[1]);
}

export async function runTokenCreate(globals: GlobalOptions, o: TokenCreateOptions): Promise<number> {
  if (o.tokenOnly && globals.json) throw new UsageError('--token-only and --json exclude each other');
  if (o.agentMetadata !== undefined && !o.agent) throw new UsageError('--agent-metadata needs --agent <name>');
  if (!o.room.trim() || !o.identity.trim()) throw new UsageError('--room and --identity must not be empty');
  const ttl = parseTtl(o.ttl);
  const { settings } = await resolveSettings(globals);
  const apiKey = settings.apiKey?.value;
  const apiSecret = settings.apiSecret?.value;
  if (!apiKey || !apiSecret) throw new UsageError('token create needs an API key and secret (--api-key/--api-secret, LIVEKIT_API_KEY/LIVEKIT_API_SECRET, or an env file)');
  const { mintJoinToken } = await import('../../livekit/tokens.js');
  const agentDispatch = o.agent ? { agentName: o.agent, ...(o.agentMetadata !== undefined ? { metadata: o.agentMetadata } : {}) } : undefined;
  const jwt = await mintJoinToken({ apiKey, apiSecret, room: o.room, identity: o.identity, ttl, ...(o.name !== undefined ? { name: o.name } : {}), ...(agentDispatch ? { agentDispatch } : {}) });
  const claims = inspectToken(jwt, { apiKey, apiSecret }).claims;
  const expiresAt = claims.expiresAtMs ? new Date(claims.expiresAtMs).toISOString() : undefined;
  process.stderr.write(
    `livekit-doctor: this token is a secret credential: whoever holds it can join room "${o.room}" as "${o.identity}" until ${expiresAt ?? 'it expires'} (key ${maskKey(apiKey)}). Do not paste it into tickets.\n`,
  );
  if (!o.tokenOnly && !globals.json) {
    const grants = Object.entries(claims.video).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
    process.stderr.write(`livekit-doctor: room "${o.room}", identity "${o.identity}"${o.name ? `, name "${o.name}"` : ''}, grants ${grants}, expires ${expiresAt ?? 'never'}\n`);
  }
  if (o.agent) process.stderr.write(`livekit-doctor: it dispatches agent "${o.agent}" only if this join creates the room; if "${o.room}" is already live, the dispatch is ignored.\n`);
  // The one place the doctor prints a token on purpose: the user asked for it, and only stdout carries it.
  if (globals.json) {
    const doc = { token: jwt, url: settings.url?.value ?? null, identity: o.identity, room: o.room, grants: claims.video, agentDispatches: claims.agentDispatches, expiresAt };
    process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    process.stdout.write(`${jwt}\n`);
  }
  return ExitCode.ok;
}
