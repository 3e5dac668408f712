import type { ServerFacts } from '../core/model.js';
import type { ComponentEnv } from '../evidence/component-env/load.js';
import type { AgentStatus } from '../evidence/agent-http.js';
import type { ParsedServerLog } from '../evidence/server-log.js';
import type { ConversationLog, StateChange } from '../livekit/conversation.js';
import type { ConversationTurn } from '../livekit/turn.js';

export type { ConversationTurn };
import type { RoomView } from '../livekit/server-api.js';
import type { TokenInspection } from '../livekit/token-inspect.js';
import type { ProbeWorker, JobRecord } from '../livekit/worker/index.js';
import type { ServerApi } from '../livekit/server-api.js';
import type { SipDispatchRuleView, SipInboundTrunkView } from '../livekit/sip-api.js';

/** The app's token as the token checks pass it along (never in evidence or output). */
export interface UserToken {
  jwt: string;
  source: 'endpoint' | 'flag';
  /** The server URL the endpoint named. */
  serverUrl?: string;
  inspection?: TokenInspection;
  /** The token's room as ListRooms saw it before the doctor joined: null = not live. */
  roomBefore?: RoomView | null;
}

/** What --agent-http endpoints said, shared by the agent-http checks. */
export interface AgentHttpFacts {
  /** The first reading of each endpoint, before the agent's dispatch. */
  statuses: AgentStatus[];
}

/**
 * The server log given with --server-log, read again whenever a check asks: a file grows while the run
 * goes on (the "no worker" line comes ~5 s after the dispatch), and stdin (`docker logs -f … |`) is
 * collected in the background from the first read until the run ends.
 */
export interface ServerLogSource {
  /** The path, or `stdin`. */
  name: string;
  /** The log as it is now, parsed; throws a UsageError with one clear line when it is not a server log. */
  read(): Promise<ParsedServerLog & { truncated: boolean }>;
  close(): void;
}

/** A room or dispatch the doctor created, with the run-relative time of the API call. */
export interface CreatedDispatch {
  room: string;
  dispatchId: string;
  agentName: string;
  /** When CreateDispatch was sent (run ms). */
  sentAtMs: number;
  /** When its answer arrived (run ms). */
  answeredAtMs: number;
}

/** A participant as the agent checks saw it. */
export interface SeenParticipant {
  identity: string;
  kind: string;
  agentName?: string;
  /** Run ms when the doctor first saw it. */
  seenAtMs: number;
  /** Join time from the server's clock, ms after the dispatch's creation (server clock too), when both are known. */
  joinAfterDispatchMs?: number;
  tracks: { type: string; source: string; muted: boolean }[];
  /** Its grant as ListParticipants shows it (hidden agents are listed there, never shown to users). */
  permission?: { hidden: boolean; canPublish: boolean; canSubscribe: boolean };
}

/** Who took the agent's job, from whichever source showed it. */
export interface JobEvidence {
  source: 'list-dispatch' | 'participant' | 'server-log' | 'agent-http';
  jobId?: string;
  workerId?: string;
  status?: string;
  error?: string;
  atMs?: number;
}

export interface JobEvidenceQuery {
  room: string;
  agentName: string;
  dispatchId: string;
  /** Run ms when the dispatch was sent. */
  sinceMs: number;
}

export type JobEvidenceSource = (query: JobEvidenceQuery) => Promise<JobEvidence[]>;

export interface AgentObservation {
  /** The agent participant with the dispatched name, once it joined. */
  joined?: SeenParticipant;
  /** AGENT participants under other names (e.g. an unnamed worker via automatic dispatch). */
  otherAgents: SeenParticipant[];
  /** Every job evidence found; list-dispatch jobs come from servers that report them (LiveKit Cloud). */
  jobs: JobEvidence[];
  polls: number;
  /** Whether the server reported any job for the dispatch (self-hosted servers never do). */
  serverListsJobs: boolean;
}

/**
 * Shared state between checks: each check writes what later checks and the findings need.
 * Fields are optional because an earlier check may have failed.
 */
export interface RunFacts {
  server: ServerFacts;
  /** Rooms the doctor created (names), for cleanup verification. */
  createdRooms: string[];
  probeName?: string;
  probeWorker?: ProbeWorker;
  probeDispatch?: CreatedDispatch;
  probeJob?: JobRecord;
  /** What the doctor saw of the real agent's job and participant (check --agent). */
  agent?: AgentObservation;
  /**
   * Outside evidence of who took a job (the server's log, the agent's HTTP endpoint), registered by evidence
   * checks that run earlier; the agent checks ask them when the room alone does not tell.
   */
  jobEvidenceSources?: JobEvidenceSource[];
  agentDispatch?: CreatedDispatch;
  /** The app's token (check --token-endpoint / --token); never in evidence or output. */
  userToken?: UserToken;
  /** The components' env files (check --agent-env …), loaded once. */
  componentEnvs?: ComponentEnv[];
  /** What the --agent-http endpoints said first. */
  agentHttp?: AgentHttpFacts;
  /** The --server-log source, read again whenever a check asks. */
  serverLogSource?: ServerLogSource;
  /** The doctor's conversation with the agent (check --voice), shared by the conversation checks. */
  conversation?: ConversationSession;
  /** check --node: each node as the cluster checks saw it, and the node × node dispatch matrix. */
  cluster?: ClusterFacts;
  /** check --sip: the SIP dispatch rules and inbound trunks as listed. */
  sip?: SipFacts;
}

export interface ConversationFacts {
  room: string;
  agentIdentity: string;
  listener: string;
  speechFile: string;
  joinedAtMs?: number;
  /** The agent's lk.agent.state when the user first saw it. */
  stateAtJoin?: string;
  turns: ConversationTurn[];
  /** The user left and came back, like a page reload. */
  rejoin?: {
    leftAtMs: number;
    rejoinedAtMs: number;
    agentPresent: boolean;
    stateAtRejoin?: string;
    agentLeftAtMs?: number;
    turn?: ConversationTurn;
  };
  /** What the room showed during each visit of the user. */
  logs: ConversationLog[];
}

/** The conversation phases the checks wait for; each is run once and shared. */
export interface ConversationSession {
  readonly facts: ConversationFacts;
  joined(): Promise<void>;
  firstTurn(): Promise<ConversationTurn>;
  rejoin(): Promise<ConversationFacts['rejoin']>;
  agentStates(): StateChange[];
  current(): ConversationLog;
}

/** One --node address as the cluster checks saw it. */
export interface ClusterNode {
  /** 1-based, in --node order: the report calls it "node <index>". */
  index: number;
  url: string;
  /** HTTP status of GET / (undefined: no answer). */
  httpStatus?: number;
  /** Whether the node accepted a signed ListRooms with these credentials. */
  credentials: 'accepted' | 'rejected' | 'unknown';
  /** Why the node cannot take part (unreachable, key rejected, worker refused): a classified, redacted line. */
  failure?: { cause: string; message: string; fix: string };
  /** From the probe worker's register reply on this node. */
  nodeId?: string;
  region?: string;
  version?: string;
  probeName?: string;
  workerId?: string;
  /** The probe worker registered on this node (never under a real agent's name). */
  probe?: ProbeWorker;
  /** The node's own server API (present once the credentials were accepted). */
  api?: ServerApi;
}

/** One matrix cell: the probe registered on node `worker`, dispatched through node `via`'s API. */
export interface MatrixCell {
  worker: number;
  via: number;
  room?: string;
  dispatchId?: string;
  delivered: boolean;
  /** Job request after the dispatch was sent (ms). */
  latencyMs?: number;
  /** A failed API call of the cell (room or dispatch not created), one redacted line. */
  error?: string;
}

export interface ClusterFacts {
  nodes: ClusterNode[];
  cells: MatrixCell[];
}

export interface SipFacts {
  rules: SipDispatchRuleView[];
  trunks: SipInboundTrunkView[];
}
