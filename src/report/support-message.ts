import type { Report } from '../core/model.js';
import { isoAt, summaryLine } from './render-common.js';

/**
 * A message the user can paste into a support ticket or forum post: the facts support asks for
 * first (URL, agent name, worker/room/dispatch ids, UTC times), what passed, what failed, and
 * what the passes rule out.
 */
export function renderSupportMessage(report: Report): string {
  const ids = collectIds(report);
  const failing = report.checks.filter((c) => c.status === 'fail' || c.status === 'error' || c.status === 'warn');
  const passed = report.checks.filter((c) => c.status === 'pass');
  const skipped = report.checks.filter((c) => c.status === 'skip');
  const top = [...report.findings].sort((a, b) => a.rank - b.rank)[0];

  const lines = [
    `Subject: ${top ? top.title : failing.length > 0 ? `${failing[0]!.title}: ${failing[0]!.summary}` : 'Agent dispatch check passed'} (livekit-doctor)`,
    '',
    'Hello,',
    '',
    `I ran livekit-doctor ${report.tool.version} (\`livekit-doctor ${report.command}\`) on ${report.startedAt} (UTC). Result: ${summaryLine(report)}.`,
    '',
    '**Setup**',
    `- Server URL: ${report.target.url ?? '(not set)'}`,
    `- API key: ${report.target.apiKey ?? '(not set)'}`,
  ];
  if (report.target.agentName) lines.push(`- Agent name: ${report.target.agentName}`);
  const s = report.server;
  if (s.version) lines.push(`- Server version: ${s.version}${s.edition ? ` (${s.edition})` : ''}`);
  if (s.region || s.nodeId) lines.push(`- Region / node: ${[s.region, s.nodeId].filter(Boolean).join(' / ')}`);
  if (s.clockOffsetMs !== undefined) lines.push(`- Clock offset (local minus server): ${s.clockOffsetMs} ms`);
  for (const [label, values] of ids) lines.push(`- ${label}: ${[...values].join(', ')}`);

  if (failing.length > 0) {
    lines.push('', '**What failed**');
    for (const c of failing) {
      lines.push(`- ${c.title} (${c.status}, at ${isoAt(report, c.startedAtMs)}): ${c.summary}${c.cause ? ` [${c.cause}]` : ''}`);
      for (const d of c.details ?? []) lines.push(`  - ${d}`);
    }
  }
  if (passed.length > 0) {
    lines.push('', '**What worked**');
    for (const c of passed) lines.push(`- ${c.title}: ${c.summary} (at ${isoAt(report, c.startedAtMs)})`);
  }
  if (skipped.length > 0) lines.push('', `Not checked (needed an earlier step): ${skipped.map((c) => c.title).join('; ')}.`);

  const ruledOut = ruledOutLines(report);
  if (ruledOut.length > 0) lines.push('', '**What this rules out**', ...ruledOut.map((l) => `- ${l}`));
  if (top) {
    lines.push('', `**Most likely cause:** ${top.title} (${top.likelihood} likelihood)`);
    for (const e of top.evidence) lines.push(`- ${e}`);
  }
  if (report.conclusion) lines.push('', report.conclusion);
  lines.push('', 'The full evidence bundle (report, timeline, environment; no secrets) is attached.', '', 'Thanks!');
  return `${lines.join('\n')}\n`;
}

/** What the checks that passed prove, so support does not ask again. */
function ruledOutLines(report: Report): string[] {
  const passedIds = new Set(report.checks.filter((c) => c.status === 'pass').map((c) => c.id));
  const passed = (...ids: string[]) => ids.some((id) => passedIds.has(id));
  const out: string[] = [];
  if (passed('server.reachable')) out.push('The server URL is reachable from this machine (not DNS, TLS or a firewall).');
  if (passed('server.credentials', 'server.rooms')) out.push('The API key and secret are valid for this URL (not a key/project mismatch).');
  if (passed('server.clock')) out.push('This machine\'s clock agrees with the server (tokens are not rejected for time).');
  if (passed('probe.registered')) out.push('A worker can register with the agent endpoint of this project.');
  if (passed('probe.job-received', 'probe.job-assigned')) {
    out.push('Explicit dispatch works in this project: a freshly named probe received its job, so no dashboard setting blocks dispatch.');
  }
  if (passed('probe.joined')) out.push('A dispatched agent can join a room from this network.');
  return out;
}

/** Worker, room, dispatch, job and participant ids found in evidence and timeline details. */
function collectIds(report: Report): [string, Set<string>][] {
  const groups: [string, RegExp][] = [
    ['Worker ids', /^(worker_?id|expectedWorkerId)$/i],
    ['Rooms', /^(room|roomName|room_name)$/i],
    ['Room sids', /^room_?sid$/i],
    ['Dispatch ids', /^dispatch_?id$/i],
    ['Job ids', /^job_?id$/i],
    ['Participant identities', /^(identity|participant_?identity)$/i],
  ];
  const found = new Map<string, Set<string>>();
  const visit = (record: Record<string, unknown> | undefined) => {
    for (const [key, value] of Object.entries(record ?? {})) {
      if (typeof value !== 'string' || !value) continue;
      const group = groups.find(([, pattern]) => pattern.test(key));
      if (!group) continue;
      const set = found.get(group[0]) ?? new Set<string>();
      set.add(value);
      found.set(group[0], set);
    }
  };
  for (const c of report.checks) visit(c.evidence);
  for (const e of report.timeline) visit(e.detail);
  return groups.map(([label]) => [label, found.get(label)]).filter((g): g is [string, Set<string>] => Boolean(g[1]));
}
