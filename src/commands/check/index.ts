import { Option, type Command } from 'commander';
import { examples, globalOptions } from '../shared.js';
import type { CheckCommandOptions } from './options.js';
import { commandSummary } from '../catalog.js';

const list = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
const repeatable = (value: string, previous: string[] = []) => [...previous, value];

export function defineCheckCommand(program: Command): void {
  const cmd = program
    .command('check')
    .description(commandSummary('check'))
    .option('--agent <name>', 'also dispatch your real agent under this exact name and watch it take the job, join and speak (env LIVEKIT_AGENT_NAME); this starts a real agent session in your project')
    .option('--probe-name <name>', 'register the probe under this name instead of a unique one (WARNING: real jobs for that name may land on the probe)')
    .addOption(new Option('--probe-mode <mode>', 'how the probe answers its job: accept (join), observe (accept, do not join), reject (answer not available)').choices(['accept', 'observe', 'reject']).default('accept'))
    .addOption(new Option('--probe-answer-delay <ms>', 'delay the probe\'s answer (to reproduce a slow request handler; over ~3000 the server drops the job)').hideHelp())
    .option('--worker-id <id>', 'the worker id your agent logged (AW_…), to tell your worker from another one with the same name')
    .option('--voice', "with --agent: talk to the agent as a user would: its voice session starts, it subscribes to the user's microphone, hears (thinks or transcribes), replies audibly, and answers again after the user leaves and rejoins")
    .option('--voice-input <wav>', 'with --voice: speak this 16-bit PCM WAV instead of the built-in sample ("Hello, can you hear me? This is a test.")')
    .option('--agent-http <url>', "your agent's own HTTP endpoint (e.g. http://agent-host:8081; repeat for several workers): health, registered name byte for byte, type, load, and active_jobs around the dispatch", repeatable)
    .option('--server-log <file|->', "the livekit-server's log (file, or - for stdin, e.g. `docker logs -f livekit 2>&1 |`): which worker was assigned the job, or the server's exact reason why none was")
    .option('--token-endpoint <url>', "your app's token URL: fetch a token like the frontend (GET, or POST with --token-endpoint-body), inspect it, join with it and wait for the agent")
    .option('--token-endpoint-body <json>', 'with --token-endpoint: POST this JSON body (e.g. {"room_name":"r","participant_identity":"u"})')
    .option('--token <jwt>', 'a token your app handed out: inspect it and compare it with the room (never printed)')
    .option('--agent-env <file>', "the agent's env file (its .env.local is read too): compared with the others")
    .option('--backend-env <file>', "the backend's env file (the one that mints tokens or dispatches)")
    .option('--frontend-env <file>', "the frontend's env file (NEXT_PUBLIC_LIVEKIT_URL)")
    .option('--room <name>', "the user's own room: its age, timeouts, dispatches, participants and agent")
    .option('--dispatch-room <name>', 'with --room: the room your backend dispatched the agent to')
    .option('--dispatched-at <time>', 'with --room: when your backend created the dispatch (ISO 8601 or Unix time), to tell a recreated room')
    .option('--node <url>', "a cluster node's own address, bypassing the load balancer (repeat for each node): per node its id, version and whether it accepts the key; a probe worker on each node dispatched through every node's API (N nodes: N probes, N² dispatches); with --agent, your agent dispatched through every node", repeatable)
    .option('--yes', 'with more than 3 --node addresses not on this machine: do not ask first')
    .option('--sip', 'also check SIP: list dispatch rules and inbound trunks, compare the agents each rule dispatches with --agent byte for byte, and find rules whose trunks do not exist')
    .option('--wait <seconds>', 'how long to wait for job requests, assignments and joins', '10')
    .option('--list-checks', 'list the checks (id, title, what each needs) and exit')
    .option('--only <ids>', 'run only these checks (comma-separated ids or groups, e.g. probe); what they need runs too', list)
    .option('--skip <ids>', 'skip these checks (comma-separated ids or groups)', list)
    .option('--strict', 'warnings fail the run (exit 1)')
    .option('--junit <file>', 'also write a JUnit XML report (one test case per check)')
    .addOption(new Option('--format <format>', 'terminal output format').choices(['terminal', 'github']).default('terminal'))
    .option('--bundle <file.zip>', 'also write a redacted evidence bundle for a support ticket')
    .option('--repeat <N>', 'run the whole checklist N times (1-1000), cleaning up after each run; prints pass rate and latency spread per check; exit code: the worst run')
    .option('--interval <seconds>', 'with --repeat: pause between runs (default 0)')
    .action(async (opts: CheckCommandOptions, command: Command) => {
      const { runCheckCommand } = await import('./run.js');
      process.exitCode = await runCheckCommand(globalOptions(command), opts);
    });
  cmd.addHelpText(
    'after',
    `
What it proves: a passing probe run means dispatch in your project works and needs no dashboard setting;
if your agent still does not come, the cause is on the agent's side. With --agent the doctor creates a room
livekit-doctor-<id> and dispatches your agent into it: a real agent session starts (and may cost money);
it ends when the doctor deletes the room.

JSON (--json) follows the schema livekit-doctor/report@1 (with --repeat: livekit-doctor/repeat@1, {runs, summary}). Exit codes: 0 all required checks passed ·
1 a required check failed (warnings too with --strict) · 2 unusable settings · 3 internal error · 130 interrupted.`,
  );
  examples(cmd, [
    'livekit-doctor check',
    'livekit-doctor check --agent my-agent --worker-id AW_abc123',
    'livekit-doctor check --agent my-agent --voice',
    'livekit-doctor check --agent my-agent --agent-http http://localhost:8081 --server-log /var/log/livekit.log',
    'livekit-doctor check --json > report.json',
    'livekit-doctor check --junit doctor.xml --strict',
    'livekit-doctor check --repeat 20 --interval 5 --json > runs.json',
    'livekit-doctor check --node ws://10.0.0.1:7880 --node ws://10.0.0.2:7880 --agent my-agent',
    'livekit-doctor check --sip --agent my-agent',
    'livekit-doctor check --list-checks',
  ]);
}
