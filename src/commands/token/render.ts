import { TOKEN_SCHEMA, type TokenInspection } from '../../livekit/token-inspect.js';

/** What the server said about the token's room, when a server was asked. */
export interface TokenRoomFacts {
  name: string;
  live: boolean;
  createdAtMs?: number;
  numParticipants?: number;
}

export interface TokenReportInput {
  inspection: TokenInspection;
  room?: TokenRoomFacts;
  /** Why the server could not be asked (clock, room), when it could not. */
  serverNote?: string;
}

const iso = (ms: number | undefined) => (ms === undefined || !Number.isFinite(new Date(ms).getTime()) ? undefined : new Date(ms).toISOString());

function relative(ms: number, now: number): string {
  const d = Math.round((ms - now) / 1000);
  const abs = Math.abs(d);
  const text = abs < 120 ? `${abs} s` : abs < 7200 ? `${Math.round(abs / 60)} min` : `${(abs / 3600).toFixed(1)} h`;
  return d >= 0 ? `in ${text}` : `${text} ago`;
}

/** Grants the server treats as allowed when absent (pointer booleans in the Go claims). */
const DEFAULT_ALLOWED = ['canPublish', 'canSubscribe', 'canPublishData'];

/** Human lines: claims, never the token. */
export function renderInspectionText(input: TokenReportInput): string[] {
  const { inspection: t, room } = input;
  const c = t.claims;
  const now = t.clocks.serverNowMs ?? t.clocks.localNowMs;
  const lines: string[] = [];
  const verdict = !t.valid ? 'INVALID token' : t.signature.verdict === 'valid' ? 'valid token' : 'token (signature not verified)';
  lines.push(`${verdict} — ${t.signature.detail}`);
  lines.push(`  issuer (API key)  ${c.issuer ?? '(none)'}`);
  lines.push(`  identity          ${c.identity ?? '(none)'}${c.name ? `   name: ${c.name}` : ''}${c.kind ? `   kind: ${c.kind}` : ''}`);
  if (c.notBeforeMs !== undefined) lines.push(`  not before        ${iso(c.notBeforeMs)} (${relative(c.notBeforeMs, now)})`);
  if (c.expiresAtMs !== undefined) lines.push(`  expires           ${iso(c.expiresAtMs)} (${relative(c.expiresAtMs, now)})`);
  const skew = t.clocks.serverNowMs !== undefined ? Math.round((t.clocks.localNowMs - t.clocks.serverNowMs) / 1000) : undefined;
  lines.push(`  clocks            ${skew === undefined ? 'local clock only (no server asked)' : `local and server clock differ by ${skew} s`}`);
  const grants = Object.entries(c.video).map(([k, v]) => `${k}=${typeof v === 'string' ? `"${v}"` : JSON.stringify(v)}`);
  for (const k of DEFAULT_ALLOWED) if (!(k in c.video) && c.video.roomJoin === true) grants.push(`${k}=(absent: allowed)`);
  lines.push(`  video grants      ${grants.length ? grants.join(' ') : '(none)'}`);
  if (c.metadata) lines.push(`  metadata          ${c.metadata}`);
  if (c.attributes) lines.push(`  attributes        ${JSON.stringify(c.attributes)}`);
  if (c.roomConfig) {
    // protojson from the SDK carries every default (0, "", {}): show only what was set.
    const set = Object.entries(c.roomConfig).filter(([k, v]) => k !== 'agents' && v !== 0 && v !== '' && v !== false && !(v && typeof v === 'object' && !Object.keys(v).length));
    lines.push(`  room config       ${set.length ? set.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ') : 'agents only'}`);
  }
  if (c.agentDispatches.length) {
    for (const d of c.agentDispatches) {
      const extra = [d.metadata ? `metadata ${d.metadata}` : '', d.deployment ? `deployment ${d.deployment}` : ''].filter(Boolean).join(', ');
      lines.push(`  agent dispatch    "${d.agentName}"${extra ? ` (${extra})` : ''} — takes effect only if this join creates the room`);
    }
  } else {
    lines.push('  agent dispatch    none in the token (a named agent then needs CreateDispatch from the backend)');
  }
  if (room) {
    lines.push(
      room.live
        ? `  room on server    "${room.name}" is live${room.createdAtMs ? `, created ${relative(room.createdAtMs, Date.now())}` : ''}, ${room.numParticipants ?? 0} participant(s)`
        : `  room on server    "${room.name}" is not live: the first join with this token creates it`,
    );
  }
  if (input.serverNote) lines.push(`  server            ${input.serverNote}`);
  for (const p of t.problems) lines.push(`${p.severity === 'error' ? '✗' : '!'} ${p.message}`);
  return lines;
}

export function inspectionJson(input: TokenReportInput): Record<string, unknown> {
  const { inspection: t, room } = input;
  const c = t.claims;
  return {
    schema: TOKEN_SCHEMA,
    valid: t.valid,
    signature: t.signature,
    header: t.header,
    claims: {
      issuer: c.issuer,
      identity: c.identity,
      name: c.name,
      kind: c.kind,
      metadata: c.metadata,
      attributes: c.attributes,
      notBefore: iso(c.notBeforeMs),
      expiresAt: iso(c.expiresAtMs),
      issuedAt: iso(c.issuedAtMs),
      video: c.video,
      roomConfig: c.roomConfig,
    },
    agentDispatches: c.agentDispatches,
    clocks: { local: iso(t.clocks.localNowMs), server: iso(t.clocks.serverNowMs) },
    room: room ?? null,
    serverNote: input.serverNote,
    problems: t.problems,
  };
}
