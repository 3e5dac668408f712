import { ExitCode, OperationError } from '../../core/errors.js';
import type { GlobalOptions } from '../shared.js';
import type { DispatchView } from '../../livekit/server-api.js';
import { withServerApi, requireRoom, printJson, printText } from '../server-call.js';
import { AUTOMATIC_DISPATCH_LABEL } from '../rooms/run.js';

export const DISPATCH_SCHEMA = 'livekit-doctor/dispatch@1';

/** What an empty job list means, measured on livekit-server v1.13.5: it never lists jobs. */
export const EMPTY_JOBS_MEANING =
  'the server reports no jobs for this dispatch (self-hosted livekit-server never lists them); whether a worker takes it shows in the room\'s participants, or run `livekit-doctor check --agent <name>`';

export async function runDispatchCreate(o: { room: string; agentName: string; metadata?: string }, opts: GlobalOptions): Promise<number> {
  const { created, roomExisted } = await withServerApi(opts, async (api) => {
    const [existing] = await api.listRooms([o.room]);
    return { created: await api.createDispatch(o.room, o.agentName, { metadata: o.metadata }), roomExisted: !!existing };
  });
  // The server answers OK whether or not any worker has this name: say so where a human reads it.
  const notes = [
    `note: the server accepts a dispatch to any agent name, also one no worker registered; check \`livekit-doctor participants ${o.room}\` to see whether an agent joined`,
  ];
  if (!roomExisted) notes.push(`note: room "${o.room}" did not exist; the dispatch created it (it closes after its empty timeout)`);
  process.stderr.write(notes.map((n) => `livekit-doctor: ${n}\n`).join(''));
  if (opts.json) await printJson({ schema: DISPATCH_SCHEMA, action: 'create', room: o.room, roomExisted, dispatch: created });
  else await printText([`dispatch ${created.id} created: agent "${created.agentName}" → room "${created.room}"`]);
  return ExitCode.ok;
}

export async function runDispatchList(o: { room: string }, opts: GlobalOptions): Promise<number> {
  const dispatches = await withServerApi(opts, async (api) => {
    // ListDispatch of a room that is not live waits ~3 s for a 503; ListRooms answers at once.
    await requireRoom(api, o.room, 'ListDispatch');
    return api.listDispatch(o.room);
  });
  if (opts.json) {
    const rows = dispatches.map((d) => ({ ...d, automatic: d.agentName === '', jobsMeaning: d.jobs.length ? undefined : EMPTY_JOBS_MEANING }));
    await printJson({ schema: DISPATCH_SCHEMA, action: 'list', room: o.room, dispatches: rows });
  } else await printDispatches(o.room, dispatches, opts);
  return ExitCode.ok;
}

export async function runDispatchDelete(o: { room: string; id: string }, opts: GlobalOptions): Promise<number> {
  const deleted = await withServerApi(opts, async (api) => {
    await requireRoom(api, o.room, 'DeleteDispatch');
    const found = (await api.listDispatch(o.room)).find((d) => d.id === o.id);
    if (!found) {
      throw new OperationError(
        `DeleteDispatch: room "${o.room}" has no dispatch ${o.id} — list its dispatches with \`livekit-doctor dispatch list --room ${o.room}\``,
        ExitCode.failed,
        'not-found',
      );
    }
    await api.deleteDispatch(o.id, o.room);
    return found;
  });
  if (opts.json) await printJson({ schema: DISPATCH_SCHEMA, action: 'delete', room: o.room, id: o.id, agentName: deleted.agentName, deleted: true });
  else await printText([`dispatch ${o.id} (agent "${deleted.agentName}") deleted from room "${o.room}"`]);
  return ExitCode.ok;
}

async function printDispatches(room: string, dispatches: DispatchView[], opts: GlobalOptions): Promise<void> {
  const [{ plainTable, formatAge, ageSince }, { makeChalk }] = await Promise.all([import('../../report/table.js'), import('../../report/style.js')]);
  const c = makeChalk(opts);
  if (dispatches.length === 0) {
    await printText([`room "${room}" has no agent dispatches: no agent is sent to it until one is dispatched (\`livekit-doctor dispatch create --room ${room} --agent-name <name>\`)`]);
    return;
  }
  const lines: string[] = [];
  for (const d of dispatches) {
    const agent = d.agentName === '' ? AUTOMATIC_DISPATCH_LABEL : `agent "${d.agentName}"`;
    const age = d.createdAtMs ? `, created ${formatAge(ageSince(d.createdAtMs))} ago` : '';
    lines.push(c.bold(`${d.id}  ${agent}${age}`));
    if (d.metadata) lines.push(`  metadata: ${d.metadata}`);
    if (d.jobs.length === 0) {
      lines.push(`  jobs: none — ${EMPTY_JOBS_MEANING}`);
      continue;
    }
    const table = await plainTable(['job', 'status', 'worker id', 'participant', 'error']);
    for (const j of d.jobs) table.push([j.id, j.status, j.workerId || '-', j.participantIdentity || '-', j.error ? c.red(j.error) : '']);
    lines.push(table.toString().replace(/^/gm, '  '));
  }
  await printText(lines);
}
