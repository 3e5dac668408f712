import { fail, pass, type Check } from './check.js';

export const cleanupCheck: Check = {
  id: 'cleanup',
  title: 'Everything the doctor created is removed',
  needs: [],
  runsLast: true,
  deadlineMs: 30_000,
  required: true,
  async run(ctx) {
    const pendingBefore = ctx.cleanup.pending.length;
    const outcomes = await ctx.cleanup.runAll();
    const failed = outcomes.filter((o) => !o.ok);
    const rooms = ctx.facts.createdRooms;
    let leftover: string[] = [];
    if (rooms.length && ctx.connection) {
      try {
        leftover = (await ctx.api().listRooms(rooms)).map((r) => r.name);
      } catch (err) {
        return fail(`cleanup ran (${outcomes.length} steps) but the rooms could not be verified gone: ${(err as Error).message}`, {
          cause: 'cleanup-unverified',
          evidence: { steps: outcomes },
          fix: { text: `check with \`livekit-doctor rooms\` and delete any of: ${rooms.join(', ')}` },
        });
      }
    }
    const evidence = { steps: outcomes.map((o) => ({ label: o.label, ok: o.ok, error: o.error, ms: Math.round(o.durationMs) })), roomsCreated: rooms, roomsLeft: leftover };
    if (failed.length || leftover.length) {
      return fail(
        `${failed.length} of ${outcomes.length} cleanup steps failed${leftover.length ? `; still on the server: ${leftover.join(', ')}` : ''}`,
        {
          cause: 'cleanup-incomplete',
          details: failed.map((o) => `${o.label}: ${o.error}`),
          evidence,
          fix: {
            text: 'delete the leftover rooms (a room the doctor creates also closes by itself after its empty timeout of 60 s)',
            commands: leftover.map((r) => `lk room delete ${r}`),
          },
        },
      );
    }
    if (pendingBefore === 0) return pass('nothing was created, nothing to remove', { evidence });
    return pass(`${outcomes.length} step${outcomes.length === 1 ? '' : 's'} done; ${rooms.length ? `verified gone: ${rooms.join(', ')}` : 'no rooms were created'}`, { evidence });
  },
};
