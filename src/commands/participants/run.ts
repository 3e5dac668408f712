import type { GlobalOptions } from '../shared.js';
import type { ParticipantView } from '../../livekit/server-api.js';

export const PARTICIPANTS_SCHEMA = 'livekit-doctor/participants@1';


export interface ParticipantRow extends ParticipantView {
  joinedAgeMs?: number;
}

export async function runParticipants(room: string, opts: GlobalOptions): Promise<number> {
  const { withServerApi, requireRoom, printJson } = await import('../server-call.js');
  const { ageSince } = await import('../../report/table.js');
  const participants = await withServerApi(opts, async (api) => {
    // ListParticipants answers [] for a room that does not exist: ask ListRooms first.
    await requireRoom(api, room, 'ListParticipants');
    return api.listParticipants(room);
  });
  const now = Date.now();
  const rows: ParticipantRow[] = participants.map((p) => ({ ...p, joinedAgeMs: ageSince(p.joinedAtMs, now) }));
  if (opts.json) await printJson({ schema: PARTICIPANTS_SCHEMA, room, participants: rows });
  else await printParticipantsTable(room, rows, opts);
  return 0;
}

/**
 * `participants <room> --node …`: the room through every node. A node outside the room's cluster does not
 * list the room at all; inside, every node shows the same participants. Each row says which nodes list it.
 */
export async function runParticipantsOnNodes(room: string, opts: GlobalOptions, nodes: string[]): Promise<number> {
  const [{ askEachNode, throwIfNoneAnswered, nodeLines }, { printJson, printText }, { ageSince }] = await Promise.all([
    import('../node-listing.js'),
    import('../server-call.js'),
    import('../../report/table.js'),
  ]);
  const answers = await askEachNode(opts, nodes, async (api) => {
    const [found] = await api.listRooms([room]);
    return found ? { live: true, participants: await api.listParticipants(room) } : { live: false, participants: [] as ParticipantView[] };
  });
  throwIfNoneAnswered(answers);
  const now = Date.now();
  const byIdentity = new Map<string, ParticipantRow & { nodes: number[] }>();
  for (const a of answers) for (const p of a.value?.participants ?? []) {
    const seen = byIdentity.get(p.identity);
    if (seen) seen.nodes.push(a.index);
    else byIdentity.set(p.identity, { ...p, joinedAgeMs: ageSince(p.joinedAtMs, now), nodes: [a.index] });
  }
  const rows = [...byIdentity.values()];
  const liveOn = answers.filter((a) => a.value?.live).map((a) => a.index);
  const nodeSummary = answers.map((a) => ({ index: a.index, url: a.url, roomLive: a.value?.live, participants: a.value?.participants.length, error: a.error, cause: a.cause }));
  const lines = nodeLines(answers, (a) => {
    const v = a.value as { live: boolean; participants: ParticipantView[] };
    return v.live ? `room live, ${v.participants.length} participant(s)` : 'does not list this room (another cluster, or the room is not live)';
  });
  if (opts.json) await printJson({ schema: PARTICIPANTS_SCHEMA, room, participants: rows, nodes: nodeSummary });
  else {
    if (liveOn.length) await printParticipantsTable(room, rows, opts);
    await printText(lines);
  }
  if (!liveOn.length) {
    if (opts.json) return 1;
    const { fixFor } = await import('../../livekit/classify.js');
    const { OperationError, ExitCode } = await import('../../core/errors.js');
    throw new OperationError(`ListParticipants: room "${room}" is live on none of the ${answers.length} nodes — ${fixFor('room-not-found')}`, ExitCode.failed, 'room-not-found');
  }
  return answers.some((a) => a.error !== undefined) ? 1 : 0;
}

export function trackLabel(t: ParticipantView['tracks'][number]): string {
  return `${t.type}:${t.source}${t.muted ? ' (muted)' : ''}`;
}

async function printParticipantsTable(room: string, rows: ParticipantRow[], opts: GlobalOptions): Promise<void> {
  const [{ plainTable, formatAge }, { makeChalk }, { printText }] = await Promise.all([
    import('../../report/table.js'),
    import('../../report/style.js'),
    import('../server-call.js'),
  ]);
  const c = makeChalk(opts);
  if (rows.length === 0) {
    await printText([`room "${room}" exists but has no participants (no agent has joined it)`]);
    return;
  }
  const onNodes = rows.some((p) => 'nodes' in p);
  const table = await plainTable(['identity', 'name', 'kind', 'state', 'tracks', 'joined', 'agent name', ...(onNodes ? ['listed by'] : [])]);
  for (const p of rows) {
    const kind = p.isAgent ? c.bold.magenta('AGENT ◆') : p.kind;
    const agentName = p.isAgent ? (p.agentName === undefined ? c.dim('(no attribute)') : p.agentName === '' ? c.dim('(empty: unnamed worker)') : p.agentName) : '';
    const tracks = p.tracks.length ? p.tracks.map(trackLabel).join('\n') : c.dim('none');
    const nodes = 'nodes' in p ? [(p as { nodes: number[] }).nodes.map((n) => `node ${n}`).join(', ')] : [];
    table.push([p.identity, p.name, kind, p.state, tracks, `${formatAge(p.joinedAgeMs)} ago`, agentName, ...nodes]);
  }
  const agents = rows.filter((p) => p.isAgent).length;
  await printText([table.toString(), `${rows.length} participant${rows.length === 1 ? '' : 's'}, ${agents} agent${agents === 1 ? '' : 's'}`]);
}
