import { redactDeep } from '../../core/redact.js';

/** `GET /worker` of agents-js, Python livekit-agents and the Go SDK, with field names normalised. */
export interface AgentWorkerInfo {
  agentName?: string;
  /** The name came from LIVEKIT_AGENT_NAME rather than the code. */
  agentNameIsEnv?: boolean;
  /** `JT_ROOM`, `JT_PUBLISHER` or `JT_PARTICIPANT` (numbers and bare names are mapped). */
  workerType?: string;
  sdkVersion?: string;
  protocolVersion?: number;
  deployment?: string;
  activeJobs?: number;
  workerLoad?: number;
  projectType?: string;
  /** The answer as received (redacted). */
  raw: Record<string, unknown>;
}

const JOB_TYPES = ['JT_ROOM', 'JT_PUBLISHER', 'JT_PARTICIPANT'];

/** The type each known `/worker` field has in every agent SDK; `worker_type` is a name or an enum number. */
const FIELD_TYPES: Record<string, ('string' | 'number' | 'boolean')[]> = {
  agent_name: ['string'],
  agent_name_is_env: ['boolean'],
  worker_type: ['string', 'number'],
  sdk_version: ['string'],
  protocol_version: ['number'],
  deployment: ['string'],
  active_jobs: ['number'],
  worker_load: ['number'],
  project_type: ['string'],
};

/**
 * Known fields present with a type no agent SDK sends (`agent_name: 42`, `active_jobs: "3"`): such an answer is
 * not an agent's `/worker`, and must not read as a healthy worker with its fields silently dropped.
 */
export function workerInfoTypeProblems(json: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [field, types] of Object.entries(FIELD_TYPES)) {
    if (!(field in json) || json[field] === null) continue;
    const value = json[field];
    const actual = Array.isArray(value) ? 'array' : typeof value;
    const ok = types.includes(actual as 'string') && (actual !== 'number' || Number.isFinite(value));
    if (!ok) out.push(`${field} is ${actual === 'number' && !Number.isFinite(value) ? 'a non-finite number' : `a${/^[aeiou]/.test(actual) ? 'n' : ''} ${actual}`} (${shortJson(value)}), not a ${types.join(' or ')}`);
  }
  return out;
}

function shortJson(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

export function normaliseWorkerInfo(json: Record<string, unknown>): AgentWorkerInfo {
  const info: AgentWorkerInfo = { raw: redactDeep(json) };
  const s = (k: string) => (typeof json[k] === 'string' ? (json[k] as string) : undefined);
  const n = (k: string) => (typeof json[k] === 'number' && Number.isFinite(json[k]) ? (json[k] as number) : undefined);
  const set = <K extends keyof AgentWorkerInfo>(key: K, value: AgentWorkerInfo[K] | undefined) => {
    if (value !== undefined) info[key] = value;
  };
  set('agentName', s('agent_name'));
  set('agentNameIsEnv', typeof json.agent_name_is_env === 'boolean' ? json.agent_name_is_env : undefined);
  set('workerType', jobType(json.worker_type));
  set('sdkVersion', s('sdk_version'));
  set('protocolVersion', n('protocol_version'));
  set('deployment', s('deployment'));
  set('activeJobs', n('active_jobs'));
  set('workerLoad', n('worker_load'));
  set('projectType', s('project_type'));
  return info;
}

function jobType(value: unknown): string | undefined {
  if (typeof value === 'number') return JOB_TYPES[value] ?? `unknown (${value})`;
  if (typeof value !== 'string' || !value) return undefined;
  const upper = value.toUpperCase().replace(/^(JOBTYPE\.|WORKERTYPE\.)/, '');
  return upper.startsWith('JT_') ? upper : `JT_${upper}`;
}
