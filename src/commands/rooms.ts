import type { Command } from 'commander';
import { examples, globalOptions, type GlobalOptions } from './shared.js';
import type { DispatchView, ParticipantView, RoomView, ServerApi } from '../livekit/server-api.js';

export const ROOMS_SCHEMA = 'livekit-doctor/rooms@1';
/** Agents and dispatches need two calls per room: bound them on servers with many rooms. */
export const ROOM_DETAIL_LIMIT = 50;
const DETAIL_CONCURRENCY = 4;
export const AUTOMATIC_DISPATCH_LABEL = 'automatic dispatch (reaches only workers registered without a name)';

export function defineRoomsCommand(program: Command): void {
  const cmd = program
    .command('rooms')
    .description('list the live rooms with participants, publishers, age, agent participants and agent dispatches')
    .action(async (_opts, command: Command) => {
      process.exitCode = await runRooms(globalOptions(command));
    });
  examples(cmd, ['livekit-doctor rooms', 'livekit-doctor rooms --json | jq ".rooms[].name"']);
}

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

async function runRooms(opts: GlobalOptions): Promise<number> {
  const { withServerApi, mapLimited, printJson } = await import('./server-call.js');
  const { ageSince } = await import('../report/table.js');
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
    import('../report/table.js'),
    import('../report/style.js'),
    import('./server-call.js'),
  ]);
  const c = makeChalk(opts);
  if (rows.length === 0) {
    await printText(['no rooms are live on this server right now']);
    return;
  }
  const table = await plainTable(['room', 'sid', 'participants', 'publishers', 'age', 'agents', 'dispatches']);
  for (const r of rows) {
    const agents = r.agents ? (r.agents.length ? `${r.agents.length}: ${r.agents.map((a) => a.agentName || a.identity).join(', ')}` : '0') : '?';
    const dispatches = r.dispatches ? (r.dispatches.length ? r.dispatches.map((d) => d.label).join('\n') : c.dim('none')) : '?';
    table.push([r.name, r.sid, r.numParticipants, r.numPublishers, formatAge(r.ageMs), agents, dispatches]);
  }
  const lines = [table.toString(), `${rows.length} room${rows.length === 1 ? '' : 's'}`];
  if (omitted) lines.push(c.yellow(`agents and dispatches shown for the first ${ROOM_DETAIL_LIMIT} rooms only; ${omitted} more marked "?"`));
  for (const r of rows) if (r.detailError) lines.push(c.yellow(`! ${r.name}: agents/dispatches unknown (${r.detailError})`));
  await printText(lines);
}
