import { toConnection } from '../../config/index.js';
import type { Connection } from '../../config/types.js';
import { Timeline } from '../../core/timeline.js';
import { doctorRoomName, NO_AUTOMATIC_DISPATCH } from '../../livekit/names.js';
import { ServerApi, ServerApiError } from '../../livekit/server-api.js';
import { ProbeWorker, WorkerError, uniqueProbeName, type JobRecord } from '../../livekit/worker/index.js';
import type { CheckContext } from '../check.js';
import type { ClusterNode } from '../facts.js';
import { mapLimited } from '../../core/map-limited.js';

/** A node's connection: its own address with the run's key, secret and deadline. */
export function nodeConnection(ctx: CheckContext, url: string): Connection {
  const { apiKey, apiSecret } = ctx.settings;
  if (!apiKey || !apiSecret) throw new Error('no API key and secret to talk to the nodes with');
  return toConnection({ value: url, from: { kind: 'flag', detail: 'flag --node' } }, apiKey, apiSecret, ctx.settings.timeoutMs);
}

/** A thrown value as the one redacted line a node's failure keeps. */
export function failureOf(err: unknown): NonNullable<ClusterNode['failure']> {
  if (err instanceof ServerApiError) return { cause: err.failure.cause, message: err.failure.message, fix: err.failure.fix };
  if (err instanceof WorkerError) return { cause: err.cause, message: err.message, fix: err.fix };
  throw err;
}

/**
 * One node, step by step: GET / (reachable), a signed ListRooms (these credentials), then a probe worker
 * registered on it under a fresh name (node id, region, version from its register reply). The worker's
 * protocol events go to a timeline of their own on the run's clock, so that the report's timeline stays
 * the main probe's.
 */
export async function inspectNode(ctx: CheckContext, url: string, index: number): Promise<ClusterNode> {
  const node: ClusterNode = { index, url, credentials: 'unknown' };
  const connection = nodeConnection(ctx, url);
  const api = new ServerApi(connection);
  try {
    node.httpStatus = (await api.probeHttp(ctx.signal)).status;
  } catch (err) {
    node.failure = failureOf(err);
    return node;
  }
  try {
    await api.listRooms(['livekit-doctor-credentials-check']);
    node.credentials = 'accepted';
    node.api = api;
  } catch (err) {
    node.failure = failureOf(err);
    if (err instanceof ServerApiError && err.failure.isConfiguration) node.credentials = 'rejected';
    return node;
  }
  const name = uniqueProbeName();
  const worker = new ProbeWorker({
    url: connection.wsUrl,
    apiKey: connection.apiKey,
    apiSecret: connection.apiSecret,
    agentName: name,
    // The matrix needs the job request only: no WebRTC join per cell.
    mode: 'observe',
    timeline: new Timeline(ctx.timeline.clock),
    registerTimeoutMs: Math.min(ctx.options.waitMs, 10_000),
    participantName: `livekit-doctor probe (node ${index})`,
  });
  ctx.cleanup.add(`stop the probe worker on node ${index}`, () => worker.stop());
  node.probeName = name;
  try {
    const reg = await worker.start(ctx.signal);
    node.probe = worker;
    node.workerId = reg.workerId;
    node.nodeId = reg.server.nodeId;
    node.region = reg.server.region;
    node.version = reg.server.version;
    ctx.timeline.add('cluster', 'node-registered', { node: index, nodeId: reg.server.nodeId, workerId: reg.workerId });
  } catch (err) {
    node.failure = failureOf(err);
  }
  return node;
}

/** Job requests of one probe worker, handed out by room (several matrix cells wait on one worker at once). */
export class RoomJobWatch {
  private readonly waiting = new Map<string, (job?: JobRecord) => void>();
  private readonly onJob = (job: JobRecord) => this.waiting.get(job.room)?.(job);
  private readonly onClosed = () => {
    for (const finish of [...this.waiting.values()]) finish(undefined);
  };

  constructor(private readonly worker: ProbeWorker) {
    worker.on('job', this.onJob);
    worker.on('closed', this.onClosed);
  }

  /** The job request for `room`, if it came already or comes within `timeoutMs`; undefined otherwise. */
  wait(room: string, timeoutMs: number, signal: AbortSignal): Promise<JobRecord | undefined> {
    // Jobs stay in worker.jobs, so one that arrived before the CreateDispatch answer is found here.
    const early = [...this.worker.jobs.values()].find((j) => j.room === room);
    if (early) return Promise.resolve(early);
    if (this.worker.closed || signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const finish = (job?: JobRecord) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.waiting.delete(room);
        resolve(job);
      };
      const onAbort = () => finish(undefined);
      const timer = setTimeout(() => finish(undefined), timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.set(room, finish);
    });
  }

  dispose(): void {
    this.worker.off('job', this.onJob);
    this.worker.off('closed', this.onClosed);
    this.onClosed();
  }
}

interface NodeCreated {
  rooms: string[];
  dispatches: { id: string; room: string }[];
}

const createdByRun = new WeakMap<object, Map<number, NodeCreated>>();

/** What the run created through one node; the first call registers that node's cleanup step. */
function createdOn(ctx: CheckContext, node: ClusterNode): NodeCreated {
  let byNode = createdByRun.get(ctx.cleanup);
  if (!byNode) createdByRun.set(ctx.cleanup, (byNode = new Map()));
  let created = byNode.get(node.index);
  if (!created) {
    const list: NodeCreated = { rooms: [], dispatches: [] };
    byNode.set(node.index, (created = list));
    const api = node.api!;
    ctx.cleanup.add(`delete the rooms created through node ${node.index}`, () => deleteVerified(api, list));
  }
  return created;
}

/**
 * A fresh doctor room created through one node's API (short empty timeout; named agent placeholder so no
 * unnamed agent is started). The first room of a node registers that node's cleanup step, which deletes
 * its dispatches, then its rooms, and verifies through the same node that none is listed any more.
 */
export async function createNodeRoom(ctx: CheckContext, node: ClusterNode, kind: string, purpose: string): Promise<string> {
  const api = node.api!;
  const room = doctorRoomName(kind);
  await api.createRoom(room, {
    emptyTimeoutS: 60,
    departureTimeoutS: 10,
    metadata: JSON.stringify({ createdBy: 'livekit-doctor', purpose }),
    agents: [NO_AUTOMATIC_DISPATCH],
  });
  ctx.facts.createdRooms.push(room);
  createdOn(ctx, node).rooms.push(room);
  return room;
}

/** A dispatch through one node, registered for that node's cleanup (deleted before its room). */
export async function createNodeDispatch(ctx: CheckContext, node: ClusterNode, room: string, agentName: string, purpose: string): Promise<string> {
  const dispatch = await node.api!.createDispatch(room, agentName, { metadata: JSON.stringify({ createdBy: 'livekit-doctor', purpose }) });
  createdOn(ctx, node).dispatches.push({ id: dispatch.id, room });
  return dispatch.id;
}

/**
 * Ends one room now: its dispatch first (so the server does not restart the job when the room goes), then the
 * room. Errors are left to the node's cleanup step, which tries again and verifies.
 */
export async function endNodeRoom(node: ClusterNode, room: string, dispatchId?: string): Promise<void> {
  if (dispatchId) await node.api!.deleteDispatch(dispatchId, room).catch(() => {});
  await node.api!.deleteRoom(room).catch(() => {});
}

const gone = (err: unknown) => err instanceof ServerApiError && (err.failure.cause === 'room-not-found' || err.failure.cause === 'not-found');

/** Deletes dispatches, then rooms, through one node (4 at a time) and checks through it that no room is listed any more. */
async function deleteVerified(api: ServerApi, created: NodeCreated): Promise<void> {
  const errors: string[] = [];
  // A dispatch whose room is gone is gone with it: only the listing of rooms below is the proof.
  await mapLimited(created.dispatches, 4, (d) => api.deleteDispatch(d.id, d.room).catch(() => {}));
  await mapLimited(created.rooms, 4, async (room) => {
    try {
      await api.deleteRoom(room);
    } catch (err) {
      // A room that closed by itself is gone already.
      if (!gone(err)) errors.push(`${room}: ${(err as Error).message}`);
    }
  });
  const left = created.rooms.length ? (await api.listRooms(created.rooms)).map((r) => r.name) : [];
  if (left.length || errors.length) throw new Error([left.length ? `still listed: ${left.join(', ')}` : '', ...errors].filter(Boolean).join('; '));
}
