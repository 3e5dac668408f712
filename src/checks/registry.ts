import type { Check } from './check.js';
import { settingsValid } from './settings/valid.js';
import { serverReachable } from './server/reachable.js';
import { credentialsValid } from './server/credentials.js';
import { clockSkew } from './server/clock.js';
import { roomsListed } from './server/rooms.js';
import { probeRegistered } from './probe/registered.js';
import { probeDispatched } from './probe/dispatched.js';
import { probeJobReceived } from './probe/job-received.js';
import { probeJobAssigned } from './probe/job-assigned.js';
import { probeJoined } from './probe/joined.js';
import { agentDispatched } from './agent/dispatched.js';
import { agentJobTaken } from './agent/job-taken.js';
import { agentJoined } from './agent/joined.js';
import { agentSpeaks } from './agent/speaks.js';
import { agentSessionStarted } from './agent/session-started.js';
import { agentSubscribed } from './agent/subscribed.js';
import { agentHears } from './agent/hears.js';
import { agentReplies } from './agent/replies.js';
import { agentStays } from './agent/stays.js';
import { cleanupCheck } from './cleanup.js';
import { envCompare } from './env/compare.js';
import { envCredentials } from './env/credentials.js';
import { tokenEndpoint } from './token/endpoint.js';
import { tokenValid } from './token/valid.js';
import { tokenDispatch } from './token/dispatch.js';
import { tokenAgentJoined } from './token/agent-joined.js';
import { roomInspect } from './room/inspect.js';
import { serverLogRead } from './server-log/read.js';
import { serverLogVerdict } from './server-log/verdict.js';
import { agentHttpReachable } from './agent-http/reachable.js';
import { agentHttpHealthy } from './agent-http/healthy.js';
import { agentHttpName } from './agent-http/name.js';
import { agentHttpWorker } from './agent-http/worker.js';
import { clusterNodes } from './cluster/nodes.js';
import { clusterMatrix } from './cluster/matrix.js';
import { clusterGroupsCheck } from './cluster/groups.js';
import { clusterAgent } from './cluster/agent.js';
import { sipListed } from './sip/listed.js';
import { sipRuleAgents } from './sip/rule-agents.js';
import { sipRuleTrunks } from './sip/rule-trunks.js';
import { sipAgentsServed } from './sip/agents-served.js';

/** Every check, in the order the report prints them (the path an agent session walks). */
export const CHECKS: Check[] = [
  settingsValid, serverReachable, credentialsValid, clockSkew, roomsListed,
  envCompare, envCredentials,
  serverLogRead,
  probeRegistered,
  probeDispatched,
  probeJobReceived,
  probeJobAssigned,
  probeJoined,
  agentHttpReachable, agentHttpHealthy, agentHttpName, agentHttpWorker,
  agentDispatched,
  agentJobTaken,
  agentJoined,
  agentSessionStarted, agentSubscribed, agentHears, agentReplies, agentSpeaks, agentStays,
  serverLogVerdict,
  tokenEndpoint, tokenValid, tokenDispatch, tokenAgentJoined,
  roomInspect,
  clusterNodes, clusterMatrix, clusterGroupsCheck, clusterAgent,
  sipListed, sipRuleAgents, sipRuleTrunks, sipAgentsServed,
  cleanupCheck,
];
