/**
 * The agent worker protocol as plain data: one binary protobuf frame per WebSocket message.
 * Everything outside this file sees plain objects, never protobuf classes.
 */
import type { Job } from '@livekit/protocol';
import type { ServerFacts } from '../../core/model.js';
import { loadProtocol } from '../sdk.js';

export interface JobOffer {
  jobId: string;
  dispatchId: string;
  room: string;
  roomSid: string;
  agentName: string;
  metadata: string;
  /** `JT_ROOM`, `JT_PUBLISHER`, `JT_PARTICIPANT`. */
  jobType: string;
  resuming: boolean;
}

export type ServerEvent =
  | { kind: 'register'; workerId: string; server: ServerFacts }
  | { kind: 'availability'; offer: JobOffer }
  | { kind: 'assignment'; offer: JobOffer; url?: string; token: string }
  | { kind: 'termination'; jobId: string }
  | { kind: 'pong'; lastTimestamp: number; timestamp: number }
  | { kind: 'unknown' };

export type JobOutcome = 'running' | 'success' | 'failed';

const JOB_STATUS = { running: 'JS_RUNNING', success: 'JS_SUCCESS', failed: 'JS_FAILED' } as const satisfies Record<JobOutcome, string>;

/** The first and only frame before the server's register reply (anything else fails the handshake). */
export function encodeRegister(agentName: string, version: string): Uint8Array {
  const { WorkerMessage, RegisterWorkerRequest, JobType } = loadProtocol();
  return new WorkerMessage({
    message: { case: 'register', value: new RegisterWorkerRequest({ type: JobType.JT_ROOM, agentName, version }) },
  }).toBinary();
}

export interface AvailabilityAnswer {
  jobId: string;
  available: boolean;
  identity?: string;
  name?: string;
  attributes?: Record<string, string>;
}

export function encodeAvailability(answer: AvailabilityAnswer): Uint8Array {
  const { WorkerMessage, AvailabilityResponse } = loadProtocol();
  const value = new AvailabilityResponse({ jobId: answer.jobId, available: answer.available });
  if (answer.available) {
    value.participantIdentity = answer.identity ?? '';
    value.participantName = answer.name ?? '';
    value.participantAttributes = answer.attributes ?? {};
  }
  return new WorkerMessage({ message: { case: 'availability', value } }).toBinary();
}

/** Load 0 on purpose: the server skips workers whose load is at or above its target (0.7). */
export function encodeWorkerAvailable(): Uint8Array {
  const { WorkerMessage, UpdateWorkerStatus, WorkerStatus } = loadProtocol();
  return new WorkerMessage({
    message: { case: 'updateWorker', value: new UpdateWorkerStatus({ status: WorkerStatus.WS_AVAILABLE, load: 0 }) },
  }).toBinary();
}

export function encodeJobUpdate(jobId: string, outcome: JobOutcome, error = ''): Uint8Array {
  const { WorkerMessage, UpdateJobStatus, JobStatus } = loadProtocol();
  return new WorkerMessage({
    message: { case: 'updateJob', value: new UpdateJobStatus({ jobId, status: JobStatus[JOB_STATUS[outcome]], error }) },
  }).toBinary();
}

function offerOf(job: Job | undefined): JobOffer {
  const { JobType } = loadProtocol();
  return {
    jobId: job?.id ?? '',
    dispatchId: job?.dispatchId ?? '',
    room: job?.room?.name ?? '',
    roomSid: job?.room?.sid ?? '',
    agentName: job?.agentName ?? '',
    metadata: job?.metadata ?? '',
    jobType: JobType[job?.type ?? JobType.JT_ROOM] ?? String(job?.type),
    resuming: false,
  };
}

/** Throws on bytes that are not a ServerMessage. */
export function decodeServerMessage(bytes: Uint8Array): ServerEvent {
  const { ServerMessage, ServerInfo_Edition } = loadProtocol();
  const msg = ServerMessage.fromBinary(bytes);
  switch (msg.message.case) {
    case 'register': {
      const info = msg.message.value.serverInfo;
      const server: ServerFacts = info
        ? {
            edition: ServerInfo_Edition[info.edition] ?? String(info.edition),
            version: info.version,
            protocol: info.protocol,
            region: info.region,
            nodeId: info.nodeId,
            agentProtocol: info.agentProtocol,
          }
        : {};
      return { kind: 'register', workerId: msg.message.value.workerId, server };
    }
    case 'availability':
      return { kind: 'availability', offer: { ...offerOf(msg.message.value.job), resuming: msg.message.value.resuming } };
    case 'assignment': {
      const { job, url, token } = msg.message.value;
      return { kind: 'assignment', offer: offerOf(job), ...(url ? { url } : {}), token };
    }
    case 'termination':
      return { kind: 'termination', jobId: msg.message.value.jobId };
    case 'pong':
      return { kind: 'pong', lastTimestamp: Number(msg.message.value.lastTimestamp), timestamp: Number(msg.message.value.timestamp) };
    default:
      return { kind: 'unknown' };
  }
}
