import type { GlobalOptions } from '../shared.js';
import type { DispatchView, ParticipantView, RoomView, ServerApi } from '../../livekit/server-api.js';

export const ROOMS_SCHEMA = 'livekit-doctor/rooms@1';
/** Agents and dispatches need two calls per room: bound them on servers with many rooms. */
export const ROOM_DETAIL_LIMIT = 50;
const DETAIL_CONCURRENCY = 4;
export const AUTOMATIC_DISPATCH_LABEL = 'automatic dispatch (reaches only workers registered without a name)';


export interface RoomRow {
  name: string;
  sid: string;
  numParticipants: number;
  numPublishers: number;
  createdAtMs: number;
  ageMs?: number;
  /** ListRooms counts lag a few seconds behind joins; ListParticipants is current, so it wins when fetched. */
  countsFrom: 'ListParticipants' | 'ListRooms';
  /** Agent participants; undefined when the room was beyond the detail limit or its calls failed. */
  agents?: { identity: string; agentName?: string }[];
  dispatches?: { id: string; agentName: string; automatic: boolean; label: string }[];
  detailError?: string;
}

export async function runRooms(opts: GlobalOptions): Promise<number> {
  const { withServerApi, mapLimited, printJson } = await import('../server-call.js');
  const { ageSince } = await import('../../report/table.js');
  const rows = await withServerApi(opts, async (api) => {
    const rooms = (await api.listRooms()).sort((a, b) => a.name.localeCompare(b.name));
    const detailed = await mapLimited(rooms.slice(0, ROOM_DETAIL_LIMIT), DETAIL_CONCURRENCY, (room) => roomDetails(api, room));
    const now = Date.now();
    return rooms.map((room, i): RoomRow => {
      const { live, ...details } = detailed[i] ?? {};
      return {
        name: room.name,
        sid: room.sid,
        numParticipants: live?.participants ?? room.numParticipants,
        numPublishers: live?.publishers ?? room.numPublishers,
        createdAtMs: room.createdAtMs,
        ageMs: ageSince(room.createdAtMs, now),
        countsFrom: live ? 'ListParticipants' : 'ListRooms',
        ...details,
      };
    });
  });
  const omitted = Math.max(0, rows.length - ROOM_DETAIL_LIMIT);
  if (opts.json) await printJson({ schema: ROOMS_SCHEMA, rooms: rows, detailLimit: ROOM_DETAIL_LIMIT, roomsWithoutDetails: omitted });
  else await printRoomsTable(rows, omitted, opts);
  return 0;
}

/**
 * `rooms --node …`: ListRooms through every node. Nodes of one cluster list the same rooms (the room store
 * is their Redis); a node outside lists only its own. Each row says which nodes list it.
 */
export async function runRoomsOnNodes(opts: GlobalOptions, nodes: string[]): Promise<number> {
  const [{ askEachNode, throwIfNoneAnswered, nodeLines }, { mapLimited, printJson, printText }, { ageSince }] = await Promise.all([
    import('../node-listing.js'),
    import('../server-call.js'),
    import('../../report/table.js'),
  ]);
  const answers = await askEachNode(opts, nodes, async (api) => ({ api, rooms: await api.listRooms() }));
  throwIfNoneAnswered(answers);
  const byName = new Map<string, { room: RoomView; api: ServerApi; nodes: number[] }>();
  for (const a of answers) for (const room of a.value?.rooms ?? []) {
    const seen = byName.get(room.name);
    if (seen) seen.nodes.push(a.index);
    else byName.set(room.name, { room, api: a.value!.api, nodes: [a.index] });
  }
  const entries = [...byName.values()].sort((a, b) => a.room.name.localeCompare(b.room.name));
  const detailed = await mapLimited(entries.slice(0, ROOM_DETAIL_LIMIT), DETAIL_CONCURRENCY, (e) => roomDetails(e.api, e.room));
  const now = Date.now();
  const rows = entries.map(({ room, nodes: on }, i): RoomRow & { nodes: number[] } => {
    const { live, ...details } = detailed[i] ?? {};
    return {
      name: room.name, sid: room.sid, numParticipants: live?.participants ?? room.numParticipants, numPublishers: live?.publishers ?? room.numPublishers,
      createdAtMs: room.createdAtMs, ageMs: ageSince(room.createdAtMs, now), countsFrom: live ? 'ListParticipants' : 'ListRooms', ...details, nodes: on,
    };
  });
  const omitted = Math.max(0, rows.length - ROOM_DETAIL_LIMIT);
  const failed = answers.some((a) => a.error !== undefined);
  const nodeSummary = answers.map((a) => ({ index: a.index, url: a.url, rooms: a.value?.rooms.length, error: a.error, cause: a.cause }));
  if (opts.json) await printJson({ schema: ROOMS_SCHEMA, rooms: rows, detailLimit: ROOM_DETAIL_LIMIT, roomsWithoutDetails: omitted, nodes: nodeSummary });
  else {
    await printRoomsTable(rows, omitted, opts);
    await printText(nodeLines(answers, (a) => `lists ${(a.value as { rooms: RoomView[] }).rooms.length} room(s)`));
  }
  return failed ? 1 : 0;
}

type RoomDetails = Pick<RoomRow, 'agents' | 'dispatches' | 'detailError'> & { live?: { participants: number; publishers: number } };

async function roomDetails(api: ServerApi, room: RoomView): Promise<RoomDetails> {
  try {
    const [participants, dispatches] = await Promise.all([api.listParticipants(room.name), api.listDispatch(room.name)]);
    const live = { participants: participants.length, publishers: participants.filter((p) => p.tracks.length > 0).length };
    return { agents: agentsOf(participants), dispatches: dispatches.map(dispatchRow), live };
  } catch (err) {
    // A room can close between ListRooms and these calls; one room must not sink the listing.
    return { detailError: err instanceof Error ? err.message : String(err) };
  }
}

function agentsOf(participants: ParticipantView[]): NonNullable<RoomRow['agents']> {
  return participants.filter((p) => p.isAgent).map((p) => ({ identity: p.identity, agentName: p.agentName }));
}

function dispatchRow(d: DispatchView): NonNullable<RoomRow['dispatches']>[number] {
  const automatic = d.agentName === '';
  return { id: d.id, agentName: d.agentName, automatic, label: automatic ? AUTOMATIC_DISPATCH_LABEL : d.agentName };
}

async function printRoomsTable(rows: RoomRow[], omitted: number, opts: GlobalOptions): Promise<void> {
  const [{ plainTable, formatAge }, { makeChalk }, { printText }] = await Promise.all([
    import('../../report/table.js'),
    import('../../report/style.js'),
    import('../server-call.js'),
  ]);
  const c = makeChalk(opts);
  if (rows.length === 0) {
    await printText(['no rooms are live on this server right now']);
    return;
  }
  const onNodes = rows.some((r) => 'nodes' in r);
  const table = await plainTable(['room', 'sid', 'participants', 'publishers', 'age', 'agents', 'dispatches', ...(onNodes ? ['listed by'] : [])]);
  for (const r of rows) {
    const agents = r.agents ? (r.agents.length ? `${r.agents.length}: ${r.agents.map((a) => a.agentName || a.identity).join(', ')}` : '0') : '?';
    const dispatches = r.dispatches ? (r.dispatches.length ? r.dispatches.map((d) => d.label).join('\n') : c.dim('none')) : '?';
    const nodes = 'nodes' in r ? [(r as { nodes: number[] }).nodes.map((n) => `node ${n}`).join(', ')] : [];
    table.push([r.name, r.sid, r.numParticipants, r.numPublishers, formatAge(r.ageMs), agents, dispatches, ...nodes]);
  }
  const lines = [table.toString(), `${rows.length} room${rows.length === 1 ? '' : 's'}`];
  if (omitted) lines.push(c.yellow(`agents and dispatches shown for the first ${ROOM_DETAIL_LIMIT} rooms only; ${omitted} more marked "?"`));
  for (const r of rows) if (r.detailError) lines.push(c.yellow(`! ${r.name}: agents/dispatches unknown (${r.detailError})`));
  await printText(lines);
}
