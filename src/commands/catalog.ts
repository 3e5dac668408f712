/**
 * Every command as the top-level help lists it: its name, its term and its one-line summary. `cli.ts` defines
 * the command that runs in full and the others from this list alone, so that start-up loads one definition.
 * Plain data, no imports: it is on the path of every start.
 */
export const COMMAND_CATALOG = [
  {
    name: 'check',
    term: 'check [options]',
    summary:
      'run the diagnosis checklist against your LiveKit project: settings, server, credentials, clock, ' +
      "the doctor's own probe worker (register → dispatch → job request → join), your real agent (--agent), cleanup",
  },
  { name: 'config', term: 'config', summary: 'print the resolved settings: the key masked, the secret never shown, and where each value came from' },
  { name: 'probe', term: 'probe [options]', summary: 'run the doctor\'s own agent worker in the foreground and show every job request it receives' },
  { name: 'agent-status', term: 'agent-status [options] <url>', summary: "read an agent's own HTTP endpoint (GET / and /worker): health, registered name, worker type, load, active jobs" },
  { name: 'rooms', term: 'rooms [options]', summary: 'list the live rooms with participants, publishers, age, agent participants and agent dispatches' },
  { name: 'participants', term: 'participants [options] <room>', summary: 'list the participants of a room: identity, kind (agents marked), state, tracks, joined age, agent name' },
  { name: 'dispatch', term: 'dispatch', summary: 'create, list and delete explicit agent dispatches for a room' },
  { name: 'bundle', term: 'bundle [options] <report.json>', summary: 'build an evidence bundle (zip: report, timeline, environment, support message; no secrets) from a saved --json report' },
  { name: 'token', term: 'token', summary: 'inspect the tokens your app hands out, or mint a join token like your backend should' },
  { name: 'bench', term: 'bench [options]', summary: 'measure dispatch latency and capacity: dispatch → job request → assignment → joined, per step of a load ramp' },
  { name: 'sip', term: 'sip [options]', summary: 'list SIP dispatch rules and inbound trunks; per rule the agents its room configuration dispatches, compared byte for byte with --agent; rules whose trunks do not exist' },
  { name: 'monitor', term: 'monitor [options]', summary: 'run the probe checklist every interval, per target, and serve the results to Prometheus (GET /metrics, /healthz, /readyz)' },
  { name: 'talk', term: 'talk [options]', summary: "measure conversation latency: N turns with your agent in one room, each timed from the end of the user's speech to the agent's \"thinking\", its transcript and its first reply audio (p50/p90/max, the first turn is a warm-up)" },
  { name: 'cleanup', term: 'cleanup [options]', summary: 'find livekit-doctor-* rooms the doctor left on the server (older than a few minutes) and delete them; a dry run unless --delete' },
] as const;

export type CommandName = (typeof COMMAND_CATALOG)[number]['name'];

export function commandSummary(name: CommandName): string {
  return COMMAND_CATALOG.find((c) => c.name === name)!.summary;
}
