import chalk from 'chalk';
import Table from 'cli-table3';
import { visible } from '../../evidence/name-diff.js';
import type { AgentStatusFinding } from '../../evidence/agent-http/assess.js';
import type { AgentStatus } from '../../evidence/agent-http/fetch.js';

export const AGENT_STATUS_SCHEMA = 'livekit-doctor/agent-status@1';

/** The endpoint view as a two-column table plus one block per finding. Pure: returns the text. */
export function renderAgentStatus(status: AgentStatus, findings: AgentStatusFinding[]): string {
  const table = new Table({ style: { head: [], border: [] } });
  const w = status.worker;
  const rows: [string, string | undefined][] = [
    ['endpoint', status.url],
    ['reachable', status.reachable ? `yes (${status.elapsedMs} ms)` : `no: ${status.error?.message ?? 'unknown error'}`],
    ['health (GET /)', status.reachable ? `${status.health.status}${status.health.ok ? ' ok' : ` ${status.health.reason ?? ''}`}` : undefined],
    ['agent name', w?.agentName !== undefined ? `${visible(w.agentName)}${w.agentNameIsEnv ? ' (from LIVEKIT_AGENT_NAME)' : ''}` : undefined],
    ['worker type', w?.workerType],
    ['deployment', w?.deployment !== undefined ? JSON.stringify(w.deployment) : undefined],
    ['active jobs', w?.activeJobs?.toString()],
    ['load', w?.workerLoad?.toFixed(2)],
    ['sdk', [w?.projectType, w?.sdkVersion].filter(Boolean).join(' ') || undefined],
    ['protocol', w?.protocolVersion?.toString()],
    ['/worker', status.reachable && !w && status.error ? `${status.error.cause}: ${status.error.message}` : undefined],
  ];
  for (const [k, v] of rows) if (v !== undefined) table.push([k, v]);
  const lines = [table.toString()];
  if (findings.length === 0 && status.reachable && status.health.ok) lines.push(`${chalk.green('✓')} The agent endpoint answers and reports nothing that would stop it taking jobs.`);
  for (const f of findings) {
    lines.push(`${f.severity === 'fail' ? chalk.red('✗') : chalk.yellow('!')} ${f.summary}`);
    for (const e of f.evidence) lines.push(`    ${chalk.dim(e)}`);
    lines.push(`    fix: ${f.fix.text}`);
  }
  return `${lines.join('\n')}\n`;
}
