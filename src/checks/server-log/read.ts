import { UsageError } from '../../core/errors.js';
import { NotAServerLogError } from '../../evidence/server-log.js';
import { sleep } from '../../core/cleanup.js';

const STDIN_FIRST_LOOK_MS = 300;
import { correlateDispatch } from '../support/server-log-window.js';
import { openServerLogSource, type ServerLogSource } from '../support/server-log-source.js';
import { fail, pass, type Check, type CheckContext } from '../check.js';
import type { JobEvidenceSource } from '../facts.js';

const MAX_NAMES_SHOWN = 6;

export const serverLogRead: Check = {
  id: 'server-log.read',
  title: "The server's log (--server-log) is readable",
  needs: [],
  deadlineMs: 15_000,
  appliesTo: (o) => o.serverLog !== undefined,
  async run(ctx) {
    const source = openServerLogSource(ctx.facts, ctx.options.serverLog!);
    ctx.cleanup.add(`stop reading ${source.name}`, async () => source.close());
    let log;
    try {
      log = await source.read().catch(async (err: unknown) => {
        // A pipe delivers its first bytes a moment after the start: one more look before "nothing yet".
        if (source.name !== 'stdin' || err instanceof NotAServerLogError) throw err;
        await sleep(STDIN_FIRST_LOOK_MS, ctx.signal);
        return source.read();
      });
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      // stdin may have delivered nothing yet: the later readers read it again after the dispatch.
      if (source.name === 'stdin' && !(err instanceof NotAServerLogError)) {
        (ctx.facts.jobEvidenceSources ??= []).push(assignedJobsFromLog(ctx, source));
        return pass('reading the log from stdin while the run goes on (nothing arrived yet)', { evidence: { source: 'stdin' } });
      }
      return fail(err.message, { cause: 'server-log-unreadable', fix: { text: 'give the log of the livekit-server that handles this project (file or -), as written by the server' } });
    }
    (ctx.facts.jobEvidenceSources ??= []).push(assignedJobsFromLog(ctx, source));
    const first = log.entries[0]!.time;
    const last = log.entries[log.entries.length - 1]!.time;
    const names = registeredNames(log.entries);
    const shown = names.slice(0, MAX_NAMES_SHOWN).map((n) => JSON.stringify(n)).join(', ');
    const more = names.length > MAX_NAMES_SHOWN ? ` and ${names.length - MAX_NAMES_SHOWN} more` : '';
    return pass(
      `${source.name}: ${log.entries.length} ${log.format} log lines from ${first.toISOString()} to ${last.toISOString()}${log.truncated ? ' (most recent part only)' : ''}; agent names registered in it: ${shown || 'none'}${more}`,
      { evidence: { source: source.name, format: log.format, lines: log.entries.length, unparsed: log.unparsed, from: first.toISOString(), to: last.toISOString(), registeredNames: names } },
    );
  },
};

/** `assigned job to worker` lines for the agent's room, for agent.job-taken (which worker took the job). */
function assignedJobsFromLog(ctx: CheckContext, source: ServerLogSource): JobEvidenceSource {
  return async (query) => {
    const log = await source.read();
    const evidence = correlateDispatch(ctx, log.entries, { room: query.room, agentName: query.agentName, sentAtMs: query.sinceMs });
    return evidence.assigned
      .filter((a) => a.room === query.room && a.agentName === query.agentName)
      .map((a) => ({ source: 'server-log' as const, jobId: a.jobId, workerId: a.workerId, status: `assigned (log line ${a.line})` }));
  };
}

function registeredNames(entries: { message: string; fields: Record<string, unknown> }[]): string[] {
  const names = new Set<string>();
  for (const e of entries) if (e.message === 'worker registered' && typeof e.fields.agentName === 'string') names.add(e.fields.agentName);
  return [...names];
}
