import type { Command } from 'commander';
import { examples, globalOptions, type GlobalOptions } from './shared.js';
import type { ParticipantView } from '../livekit/server-api.js';

export const PARTICIPANTS_SCHEMA = 'livekit-doctor/participants@1';

export function defineParticipantsCommand(program: Command): void {
  const cmd = program
    .command('participants')
    .argument('<room>', 'the room name')
    .description('list the participants of a room: identity, kind (agents marked), state, tracks, joined age, agent name')
    .action(async (room: string, _opts, command: Command) => {
      process.exitCode = await runParticipants(room, globalOptions(command));
    });
  examples(cmd, ['livekit-doctor participants my-room', 'livekit-doctor participants my-room --json']);
}

export interface ParticipantRow extends ParticipantView {
  joinedAgeMs?: number;
}

async function runParticipants(room: string, opts: GlobalOptions): Promise<number> {
  const { withServerApi, requireRoom, printJson } = await import('./server-call.js');
  const { ageSince } = await import('../report/table.js');
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

export function trackLabel(t: ParticipantView['tracks'][number]): string {
  return `${t.type}:${t.source}${t.muted ? ' (muted)' : ''}`;
}

async function printParticipantsTable(room: string, rows: ParticipantRow[], opts: GlobalOptions): Promise<void> {
  const [{ plainTable, formatAge }, { makeChalk }, { printText }] = await Promise.all([
    import('../report/table.js'),
    import('../report/style.js'),
    import('./server-call.js'),
  ]);
  const c = makeChalk(opts);
  if (rows.length === 0) {
    await printText([`room "${room}" exists but has no participants (no agent has joined it)`]);
    return;
  }
  const table = await plainTable(['identity', 'name', 'kind', 'state', 'tracks', 'joined', 'agent name']);
  for (const p of rows) {
    const kind = p.isAgent ? c.bold.magenta('AGENT ◆') : p.kind;
    const agentName = p.isAgent ? (p.agentName === undefined ? c.dim('(no attribute)') : p.agentName === '' ? c.dim('(empty: unnamed worker)') : p.agentName) : '';
    const tracks = p.tracks.length ? p.tracks.map(trackLabel).join('\n') : c.dim('none');
    table.push([p.identity, p.name, kind, p.state, tracks, `${formatAge(p.joinedAgeMs)} ago`, agentName]);
  }
  const agents = rows.filter((p) => p.isAgent).length;
  await printText([table.toString(), `${rows.length} participant${rows.length === 1 ? '' : 's'}, ${agents} agent${agents === 1 ? '' : 's'}`]);
}
