/**
 * Where `check`'s wall time goes: time spent waiting on the server (protocol waits and API round trips,
 * read from the report's timeline and evidence) versus the doctor's own time (process start, module
 * loading, rendering, everything else).
 */
interface Event { atMs: number; source: string; type: string; detail?: Record<string, unknown> }
interface CheckJson {
  durationMs: number;
  exitCode: number;
  timeline: Event[];
  checks: { id: string; status: string; durationMs?: number; evidence?: Record<string, unknown> }[];
}

export interface CheckBreakdown {
  reportMs: number;
  serverWaitMs: number;
  parts: Record<string, number>;
}

export function checkBreakdown(stdout: string): CheckBreakdown {
  const report = JSON.parse(stdout) as CheckJson;
  if (report.exitCode !== 0) throw new Error(`check exited ${report.exitCode}: ${report.checks.filter((c) => c.status !== 'pass').map((c) => c.id).join(', ')}`);
  const at = (type: string) => report.timeline.find((e) => e.type === type)?.atMs;
  const between = (from: string, to: string) => {
    const a = at(from);
    const b = at(to);
    return a !== undefined && b !== undefined ? b - a : 0;
  };
  const evidence = (id: string, key: string) => Number(report.checks.find((c) => c.id === id)?.evidence?.[key] ?? 0);
  const duration = (id: string) => report.checks.find((c) => c.id === id)?.durationMs ?? 0;
  const parts: Record<string, number> = {
    'GET / round trip': evidence('server.reachable', 'roundTripMs'),
    'worker register round trip': between('socket-open', 'registered'),
    'CreateDispatch round trip': evidence('probe.dispatched', 'apiMs'),
    'dispatch answered → job request': between('dispatch-created', 'availability-request'),
    'answer → assignment': between('availability-answer', 'assignment'),
    'assignment → joined (WebRTC join)': between('assignment', 'joined'),
    'ListRooms/ListParticipants (server.rooms)': duration('server.rooms'),
    'cleanup calls': duration('cleanup'),
  };
  return { reportMs: report.durationMs, serverWaitMs: Object.values(parts).reduce((a, b) => a + b, 0), parts };
}
