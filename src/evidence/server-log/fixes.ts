import type { Remedy } from '../../core/model.js';

const DISPATCH_DOCS = 'https://docs.livekit.io/agents/server/agent-dispatch/';

/** What to do about each server-log verdict. */
export const FIXES = {
  healthy: { text: 'Nothing to fix on the dispatch path: the job was assigned and the agent joined.' } satisfies Remedy,

  assignedNotJoined: (jobId: string, workerId: string): Remedy => ({
    text:
      `Search the agent's own log for job ${jobId} (worker ${workerId}): an exception or a hang in prewarm or the entrypoint, ` +
      'an initialization timeout, or a failed room connect stops it after it accepted. Run the agent in dev mode to see the traceback.',
  }),

  answerTimeout: {
    text:
      'Answer job requests within about 2.5 s: the server waits about 3 s, then drops the job without offering it to another worker. ' +
      'Move slow work (model loading, HTTP calls) out of the request handler (request_fnc / requestFunc) into prewarm or the entrypoint. ' +
      'If the handler is fast, the host froze the idle process (serverless, scale to zero, CPU only during requests): keep the CPU always on ' +
      '(Cloud Run --no-cpu-throttling and --min-instances=1; no scale-to-zero or suspend on other hosts).',
    links: [DISPATCH_DOCS],
  } satisfies Remedy,

  jobRejected: {
    text:
      "The agent's request handler (request_fnc / requestFunc) rejected the job, or the worker was draining. Accept jobs for this room, " +
      'or check the condition that makes it reject; the server does not offer the job again.',
  } satisfies Remedy,

  workerFull: {
    text:
      'Give the agent capacity: in production both agent SDKs report themselves full at load ≥ 0.7 (load_threshold / loadThreshold), ' +
      'and a self-hosted server skips workers at load ≥ agents.target_load (0.7). Add workers, give them more CPU, or raise the threshold.',
  } satisfies Remedy,

  noWorkerForName: (name: string, intents: string[]): Remedy => ({
    text: intents.length
      ? `Make the names byte-for-byte equal: dispatch to ${intents.map((n) => JSON.stringify(n)).join(' or ')}, or register the worker as ${JSON.stringify(name)}. The server compares names exactly (no trimming, no case folding).`
      : `Start a worker with agent_name / agentName ${JSON.stringify(name)} on this server (same URL and project as the dispatch), or dispatch to a name a worker registered. The server compares names exactly.`,
    links: [DISPATCH_DOCS],
  }),

  unnamedWorker: (name: string): Remedy => ({
    text:
      `The agent registered without agent_name / agentName, so it takes only automatic dispatch (rooms created without agents). ` +
      `Set agent_name / agentName (or LIVEKIT_AGENT_NAME) to ${JSON.stringify(name)} on the agent, or stop dispatching by name and let automatic dispatch start it.`,
    links: [DISPATCH_DOCS],
  }),

  workerFrozen: {
    text:
      'The worker was offered the job and did not answer while its process was stopped, then came back: its host freezes idle processes. ' +
      'Keep the CPU allocated between requests (Cloud Run: --no-cpu-throttling and --min-instances=1; Fly/Render/Railway: no auto-stop or sleep; ' +
      'Kubernetes: no CPU limit far below the request) so the worker answers within the server\'s ~3 s deadline.',
  } satisfies Remedy,

  jobProcessNotReady: (jobId: string, workerId: string): Remedy => ({
    text:
      `Worker ${workerId} accepted job ${jobId} and waited for a job process that never got ready: each new process runs prewarm / setup_fnc first, ` +
      'and one that takes longer than initialize_process_timeout / initializeProcessTimeout (10 s by default) is killed and replaced, again and again. ' +
      "Make start-up fast and predictable: ship model files in the image (run the agent's `download-files` command at build time), load nothing over the network in prewarm, " +
      'give the container enough CPU and memory for a process to start while others run (the first minutes after a deploy are the slowest), ' +
      'raise initialize_process_timeout / initializeProcessTimeout to what start-up really takes, and keep num_idle_processes / numIdleProcesses ≥ 1 so a process is warm before a job comes. ' +
      'The agent\'s log says "error initializing process" (TimeoutError), "no warmed process available for job" and "failed to acquire process for job" (Python) or "runner initialization timed out" (Node).',
  }),

  workerGone: (how: 'server-restart' | 'deregistered'): Remedy => ({
    text:
      `Restart the agent, and make it come back by itself next time: its worker lost the socket to <url>/agent (${how === 'server-restart' ? 'here: the server restarted' : 'a server restart or deploy, a proxy or load-balancer idle timeout, a network blip'}) ` +
      'and gave up reconnecting. Both agent SDKs retry with growing pauses (up to 10 s) and then exit (livekit-agents 1.8.9: max_retry, 16 tries; agents-js 1.9.0: maxRetry, 10): ' +
      'raise max_retry / maxRetry, run the agent under a supervisor that restarts it when it exits (Kubernetes restartPolicy: Always, systemd Restart=always, Docker --restart), ' +
      'and let proxies keep idle WebSockets open (at least 60 s). The agent\'s own log says "failed to connect to livekit" (Python) or "failed to connect to LiveKit server" (Node).',
  }),

  jobRequestFailed: {
    text:
      "Check that the worker's deployment (LIVEKIT_AGENT_DEPLOYMENT) matches the dispatch's, and on multi-node self-hosted setups that every node shares the same Redis.",
  } satisfies Remedy,

  nothingLogged: {
    text:
      'Check that this is the log of the server that received the dispatch, that it is logged at INFO or lower, and that the window covers the dispatch plus about 6 s (the "no worker" line comes about 5 s late).',
  } satisfies Remedy,
};
