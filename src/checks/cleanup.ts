import { cleanupCommand } from '../core/cleanup.js';
import { fail, pass, warn, type Check } from './check.js';

/** Stop phase (a worker, a join being cancelled: ~12 s at worst) + removal retries (10 s) + verification. */
const CLEANUP_DEADLINE_MS = 45_000;

export const cleanupCheck: Check = {
  id: 'cleanup',
  title: 'Everything the doctor created is removed',
  needs: [],
  runsLast: true,
  deadlineMs: CLEANUP_DEADLINE_MS,
  required: true,
  async run(ctx) {
    const pendingBefore = ctx.cleanup.pending.length;
    const outcomes = await ctx.cleanup.runAll({ perStepMs: Math.min(ctx.settings.timeoutMs, 5_000), retryBudgetMs: 10_000 });
    const failed = outcomes.filter((o) => !o.ok);
    const rooms = [...new Set(ctx.facts.createdRooms)];
    const steps = outcomes.map((o) => ({ label: o.label, ok: o.ok, error: o.error, ms: Math.round(o.durationMs), ...(o.attempts && o.attempts > 1 ? { attempts: o.attempts } : {}) }));
    const notRemoved = failed.filter((o) => o.room).map((o) => o.room!);
    let leftover: string[] = [];
    let unverified: string | undefined;
    if (rooms.length && ctx.connection) {
      try {
        leftover = (await ctx.api().listRooms(rooms)).map((r) => r.name);
      } catch (err) {
        unverified = (err as Error).message;
        // What the server did not confirm deleting is presumed left.
        leftover = notRemoved;
      }
    }
    const evidence = { steps, roomsCreated: rooms, roomsLeft: leftover, ...(unverified ? { unverified } : {}) };
    if (leftover.length) {
      const command = cleanupCommand(leftover, ctx.connection?.url);
      return fail(`${leftover.length} room(s) could not be removed: ${leftover.join(', ')}; remove them later with \`${command}\``, {
        cause: 'cleanup-incomplete',
        details: [...failed.map((o) => `${o.label}: ${o.error}${o.attempts && o.attempts > 1 ? ` (${o.attempts} tries)` : ''}`), ...(unverified ? [`could not list the rooms afterwards: ${unverified}`] : [])],
        evidence,
        fix: {
          text: `run \`${command}\` once the server is reachable (key and secret from the same place as this run); a room the doctor creates also closes by itself after its empty timeout of 60 s`,
          commands: [command, ...leftover.map((r) => `lk room delete ${r}`)],
        },
      });
    }
    if (failed.length) {
      return fail(`${failed.length} of ${outcomes.length} cleanup steps failed: ${failed.map((o) => o.label).join('; ')}`, {
        cause: 'cleanup-incomplete',
        details: failed.map((o) => `${o.label}: ${o.error}`),
        evidence,
        fix: { text: 'the rooms are gone; a worker or participant that did not stop cleanly is released by the server within a minute' },
      });
    }
    if (unverified) {
      return warn(`${outcomes.length} step(s) done and every deletion was confirmed, but the rooms could not be listed afterwards: ${unverified}`, {
        cause: 'cleanup-unverified',
        evidence,
        fix: { text: `check with \`livekit-doctor cleanup\` (a dry run lists leftover livekit-doctor-* rooms)` },
      });
    }
    if (pendingBefore === 0) return pass('nothing was created, nothing to remove', { evidence });
    return pass(`${outcomes.length} step${outcomes.length === 1 ? '' : 's'} done; ${rooms.length ? `verified gone: ${rooms.join(', ')}` : 'no rooms were created'}`, { evidence });
  },
};
