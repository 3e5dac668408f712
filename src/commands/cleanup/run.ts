import { ExitCode, UsageError } from '../../core/errors.js';
import { redact } from '../../core/redact.js';
import { withServerApi, printJson, printText } from '../server-call.js';
import { deleteRooms } from '../../bench/rooms.js';
import type { GlobalOptions } from '../shared.js';
import type { CleanupCommandOptions } from './options.js';

export const CLEANUP_SCHEMA = 'livekit-doctor/cleanup@1';
const PREFIX = 'livekit-doctor-';

export interface CleanupCandidate {
  name: string;
  ageMs: number;
  numParticipants: number;
}

/** The rooms to remove: the doctor's by name, older than the threshold, or exactly those named. Pure. */
export function selectDoctorRooms(
  rooms: readonly { name: string; createdAtMs: number; numParticipants: number }[],
  opts: { olderThanMs: number; names?: readonly string[]; nowMs: number },
): CleanupCandidate[] {
  const named = opts.names?.length ? new Set(opts.names) : undefined;
  return rooms
    .filter((r) => r.name.startsWith(PREFIX))
    .map((r) => ({ name: r.name, ageMs: r.createdAtMs > 0 ? Math.max(0, opts.nowMs - r.createdAtMs) : Number.POSITIVE_INFINITY, numParticipants: r.numParticipants }))
    .filter((r) => (named ? named.has(r.name) : r.ageMs >= opts.olderThanMs))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function parseMinutes(text: string): number {
  const n = Number(text.trim());
  if (!text.trim() || !Number.isFinite(n) || n < 0 || n > 60 * 24 * 365) throw new UsageError(`--older-than "${text}" is not a number of minutes (0 or more)`);
  return n * 60_000;
}

const age = (ms: number) => (!Number.isFinite(ms) ? 'age unknown' : ms < 120_000 ? `${Math.round(ms / 1000)} s old` : ms < 7_200_000 ? `${Math.round(ms / 60_000)} min old` : `${(ms / 3_600_000).toFixed(1)} h old`);

/** `livekit-doctor cleanup`: lists (dry run) or deletes the doctor's leftover rooms; returns the exit code. */
export async function runCleanupCommand(globals: GlobalOptions, opts: CleanupCommandOptions): Promise<number> {
  const olderThanMs = parseMinutes(opts.olderThan ?? '5');
  const names = opts.room ?? [];
  const foreign = names.filter((n) => !n.startsWith(PREFIX));
  if (foreign.length) throw new UsageError(`--room ${foreign[0]}: only rooms named ${PREFIX}* are the doctor's; delete other rooms with \`lk room delete\``);
  return withServerApi(globals, async (api) => {
    const live = await api.listRooms(names.length ? names : undefined);
    const candidates = selectDoctorRooms(live, { olderThanMs, names, nowMs: Date.now() });
    const missing = names.filter((n) => !candidates.some((c) => c.name === n));
    if (!opts.delete) {
      if (globals.json) await printJson({ schema: CLEANUP_SCHEMA, dryRun: true, olderThanMs, rooms: candidates, alreadyGone: missing });
      else {
        const lines = candidates.length
          ? [`${candidates.length} livekit-doctor room(s) would be deleted (dry run; add --delete):`, ...candidates.map((c) => `  ${c.name}  ${age(c.ageMs)}, ${c.numParticipants} participant(s)`)]
          : [`no livekit-doctor room ${names.length ? 'of those named is live' : `older than ${opts.olderThan} min is live`}: nothing to delete`];
        if (missing.length) lines.push(`already gone: ${missing.join(', ')}`);
        await printText(lines);
      }
      return ExitCode.ok;
    }
    const result = await deleteRooms(api, candidates.map((c) => c.name), api.connection.timeoutMs);
    if (globals.json) await printJson({ schema: CLEANUP_SCHEMA, dryRun: false, olderThanMs, rooms: candidates, deleted: result.deleted, failed: result.failed, alreadyGone: missing });
    else {
      const lines = [`deleted ${result.deleted} of ${candidates.length} livekit-doctor room(s)${missing.length ? `; already gone: ${missing.join(', ')}` : ''}`];
      for (const f of result.failed) lines.push(`could not delete ${f.room}: ${redact(f.error)}`);
      await printText(lines);
    }
    return result.failed.length ? ExitCode.failed : ExitCode.ok;
  });
}
