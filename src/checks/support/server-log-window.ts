import { correlate, type ServerLogEvidence } from '../../evidence/server-log.js';
import type { LogEntry } from '../../evidence/server-log.js';
import type { CheckContext } from '../check.js';

/** Slack around the run's window: the Date header gives the server's clock to about a second. */
const SLACK_MS = 2_000;

/** The server's wall-clock time of a run-relative instant (local time minus the measured offset). */
export function serverTimeAt(ctx: Pick<CheckContext, 'timeline' | 'facts'>, atMs: number): Date {
  const offset = ctx.facts.server.clockOffsetMs ?? 0;
  return new Date(ctx.timeline.clock.startedAt.getTime() + atMs - offset);
}

/** The log's lines about one dispatch of this run: its room and agent name, from the dispatch until now. */
export function correlateDispatch(
  ctx: Pick<CheckContext, 'timeline' | 'facts'>,
  entries: LogEntry[],
  d: { room: string; agentName: string; sentAtMs: number },
): ServerLogEvidence {
  return correlate(entries, {
    since: new Date(serverTimeAt(ctx, d.sentAtMs).getTime() - SLACK_MS),
    until: new Date(serverTimeAt(ctx, ctx.timeline.clock.now()).getTime() + SLACK_MS),
    rooms: [d.room],
    agentNames: [d.agentName],
  });
}
