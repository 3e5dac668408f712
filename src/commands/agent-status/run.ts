import { redact, redactDeep, registerSecret } from '../../core/redact.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { assessAgentStatus } from '../../evidence/agent-http/assess.js';
import { fetchAgentStatus } from '../../evidence/agent-http/fetch.js';
import { AGENT_STATUS_SCHEMA, renderAgentStatus } from './render.js';

export interface AgentStatusCommandOptions {
  agent?: string;
  deployment?: string;
  loadThreshold?: string;
  /** Seconds (global --timeout). */
  timeout?: string;
  /** The API secret from flags or environment: never contacted here, but removed from anything the agent echoes. */
  apiSecret?: string;
  json?: boolean;
}

/** `livekit-doctor agent-status <url>`: 0 when the endpoint answers and is healthy, 1 otherwise. */
export async function runAgentStatus(url: string, opts: AgentStatusCommandOptions): Promise<number> {
  const timeoutSeconds = Number(opts.timeout ?? '10');
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout ${opts.timeout}: give a positive number of seconds`);
  const loadThreshold = opts.loadThreshold === undefined ? 0.7 : Number(opts.loadThreshold);
  if (!Number.isFinite(loadThreshold) || loadThreshold <= 0) throw new UsageError(`--load-threshold ${opts.loadThreshold}: give a number such as 0.7`);

  registerSecret(opts.apiSecret);
  if (!opts.json) process.stderr.write(`asking the agent endpoint ${redact(url)} …\n`);
  const status = await fetchAgentStatus(url, { timeoutMs: Math.round(timeoutSeconds * 1000) });
  if (status.error?.cause === 'bad-url') throw new UsageError(`agent-status: ${status.error.message} (e.g. http://127.0.0.1:8081)`);
  const findings = assessAgentStatus(status, {
    ...(opts.agent !== undefined ? { dispatchedName: opts.agent } : {}),
    deployment: opts.deployment ?? '',
    loadThreshold,
  });
  const exitCode = status.reachable && status.health.ok ? ExitCode.ok : ExitCode.failed;
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(redactDeep({ schema: AGENT_STATUS_SCHEMA, status, findings, exitCode }), null, 2)}\n`);
  } else {
    process.stdout.write(redact(renderAgentStatus(status, findings)));
  }
  return exitCode;
}
