export { fetchAgentStatus, agentBaseUrl, type AgentStatus, type AgentEndpointErrorCause, type FetchAgentStatusOptions } from './agent-http/fetch.js';
export { normaliseWorkerInfo, type AgentWorkerInfo } from './agent-http/worker-info.js';
export {
  assessAgentStatus,
  activeJobsDelta,
  type AgentStatusFinding,
  type AgentStatusFindingId,
  type AssessOptions,
  type ActiveJobsDelta,
} from './agent-http/assess.js';
export { jobNeverReachedAProcess, describeActiveJobsWatch, type ActiveJobsWatch } from './agent-http/job-start.js';
