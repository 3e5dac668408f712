import type { Connection } from '../config/types.js';
import { withDeadline } from '../core/cleanup.js';
import { classifyFailure, type ClassifiedFailure } from './classify.js';
import { loadServerSdk } from './sdk.js';

/** Plain views of server objects, so nothing outside src/livekit depends on protobuf classes. */
export interface RoomView {
  name: string;
  sid: string;
  numParticipants: number;
  numPublishers: number;
  /** Unix ms. */
  createdAtMs: number;
  emptyTimeoutS: number;
  departureTimeoutS: number;
  metadata: string;
}

export type ParticipantKindName = 'STANDARD' | 'INGRESS' | 'EGRESS' | 'SIP' | 'AGENT' | 'CONNECTOR' | 'BRIDGE' | 'UNKNOWN';

export interface ParticipantView {
  identity: string;
  name: string;
  sid: string;
  kind: ParticipantKindName;
  state: string;
  isAgent: boolean;
  /** From `lk.agent.name` or `lk.agent_name`; undefined for non-agents. */
  agentName?: string;
  attributes: Record<string, string>;
  tracks: { sid: string; type: string; source: string; muted: boolean; name: string }[];
  /** Unix ms. */
  joinedAtMs: number;
  /** The participant's grant: a hidden one is invisible to other participants; without canPublish it is never heard. */
  permission?: { hidden: boolean; canPublish: boolean; canSubscribe: boolean };
}

export interface JobView {
  id: string;
  status: string;
  workerId: string;
  participantIdentity: string;
  error: string;
  startedAtMs?: number;
}

export interface DispatchView {
  id: string;
  agentName: string;
  room: string;
  metadata: string;
  createdAtMs?: number;
  jobs: JobView[];
}

/** A failed server call, classified once. */
export class ServerApiError extends Error {
  readonly failure: ClassifiedFailure;
  constructor(failure: ClassifiedFailure) {
    super(failure.message);
    this.name = 'ServerApiError';
    this.failure = failure;
  }
}

export interface HttpProbe {
  status: number;
  roundTripMs: number;
  /** The server's `Date` header (1 s resolution). */
  serverDate?: Date;
  /** Local clock minus server clock, ms (positive: local ahead); ±1 s from the header's resolution. */
  clockOffsetMs?: number;
  body: string;
}

const KIND_NAMES: ParticipantKindName[] = ['STANDARD', 'INGRESS', 'EGRESS', 'SIP', 'AGENT', 'UNKNOWN', 'UNKNOWN', 'CONNECTOR', 'BRIDGE'];
const STATE_NAMES = ['JOINING', 'JOINED', 'ACTIVE', 'DISCONNECTED'];
const TRACK_TYPES = ['audio', 'video', 'data'];
const TRACK_SOURCES = ['unknown', 'camera', 'microphone', 'screen_share', 'screen_share_audio'];
const JOB_STATUS = ['JS_PENDING', 'JS_RUNNING', 'JS_SUCCESS', 'JS_FAILED'];

/** UnixNano (OSS) or seconds → ms. */
function toMs(v: bigint | number | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!n) return undefined;
  if (n > 1e17) return Math.round(n / 1e6);
  if (n > 1e14) return Math.round(n / 1e3);
  if (n > 1e11) return n;
  return n * 1000;
}

export function agentNameOf(attributes: Record<string, string>): string | undefined {
  return attributes['lk.agent.name'] ?? attributes['lk.agent_name'];
}

export class ServerApi {
  private clients?: Promise<{ room: import('livekit-server-sdk').RoomServiceClient; dispatch: import('livekit-server-sdk').AgentDispatchClient }>;

  constructor(readonly connection: Connection) {}

  private load() {
    this.clients ??= Promise.resolve().then(() => {
      const sdk = loadServerSdk();
      const { httpUrl, apiKey, apiSecret, timeoutMs } = this.connection;
      // Region failover would retry other Cloud regions and hide which one failed.
      const options = { requestTimeout: Math.max(1, Math.ceil(timeoutMs / 1000)), failover: false };
      return {
        room: new sdk.RoomServiceClient(httpUrl, apiKey, apiSecret, options),
        dispatch: new sdk.AgentDispatchClient(httpUrl, apiKey, apiSecret, options),
      };
    });
    return this.clients;
  }

  /** Every call: one deadline, one classification. */
  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withDeadline(fn(), this.connection.timeoutMs, operation);
    } catch (err) {
      throw new ServerApiError(classifyFailure(err, operation));
    }
  }

  /** An unsigned GET of the server root: reachability, round trip and the server's clock. */
  async probeHttp(signal?: AbortSignal): Promise<HttpProbe> {
    return this.call('GET /', async () => {
      const started = performance.now();
      const res = await fetch(`${this.connection.httpUrl}/`, {
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(this.connection.timeoutMs)]) : AbortSignal.timeout(this.connection.timeoutMs),
        redirect: 'manual',
      });
      const body = (await res.text()).slice(0, 500);
      const roundTripMs = performance.now() - started;
      const dateHeader = res.headers.get('date');
      const serverDate = dateHeader ? new Date(dateHeader) : undefined;
      // The Date header was stamped somewhere within the round trip: compare with its midpoint.
      const localMid = Date.now() - roundTripMs / 2;
      const clockOffsetMs = serverDate && !Number.isNaN(serverDate.getTime()) ? Math.round(localMid - serverDate.getTime() - 500) : undefined;
      return { status: res.status, roundTripMs, serverDate, clockOffsetMs, body };
    });
  }

  async listRooms(names?: string[]): Promise<RoomView[]> {
    const { room } = await this.load();
    const rooms = await this.call('ListRooms', () => room.listRooms(names));
    return rooms.map(toRoomView);
  }

  /** `agents`: dispatches made at room creation; any entry also stops the automatic (unnamed) dispatch. */
  async createRoom(
    name: string,
    opts: { emptyTimeoutS?: number; departureTimeoutS?: number; metadata?: string; agents?: { agentName: string; metadata?: string }[] } = {},
  ): Promise<RoomView> {
    const { room } = await this.load();
    const sdk = loadServerSdk();
    const agents = opts.agents?.map((a) => new sdk.RoomAgentDispatch({ agentName: a.agentName, metadata: a.metadata ?? '' }));
    const r = await this.call('CreateRoom', () =>
      room.createRoom({ name, emptyTimeout: opts.emptyTimeoutS, departureTimeout: opts.departureTimeoutS, metadata: opts.metadata, agents }),
    );
    return toRoomView(r);
  }

  async deleteRoom(name: string): Promise<void> {
    const { room } = await this.load();
    await this.call('DeleteRoom', () => room.deleteRoom(name));
  }

  async listParticipants(roomName: string): Promise<ParticipantView[]> {
    const { room } = await this.load();
    const list = await this.call('ListParticipants', () => room.listParticipants(roomName));
    return list.map((p) => {
      const attributes = { ...p.attributes };
      const kind = KIND_NAMES[p.kind] ?? 'UNKNOWN';
      return {
        identity: p.identity,
        name: p.name,
        sid: p.sid,
        kind,
        state: STATE_NAMES[p.state] ?? String(p.state),
        isAgent: kind === 'AGENT',
        agentName: kind === 'AGENT' ? agentNameOf(attributes) : undefined,
        attributes,
        tracks: p.tracks.map((t) => ({
          sid: t.sid,
          type: TRACK_TYPES[t.type] ?? String(t.type),
          source: TRACK_SOURCES[t.source] ?? String(t.source),
          muted: t.muted,
          name: t.name,
        })),
        joinedAtMs: toMs(p.joinedAtMs) ?? toMs(p.joinedAt) ?? 0,
        ...(p.permission ? { permission: { hidden: p.permission.hidden, canPublish: p.permission.canPublish, canSubscribe: p.permission.canSubscribe } } : {}),
      };
    });
  }

  async createDispatch(roomName: string, agentName: string, opts: { metadata?: string } = {}): Promise<DispatchView> {
    const { dispatch } = await this.load();
    const d = await this.call('CreateDispatch', () => dispatch.createDispatch(roomName, agentName, { metadata: opts.metadata }));
    return toDispatchView(d);
  }

  async listDispatch(roomName: string): Promise<DispatchView[]> {
    const { dispatch } = await this.load();
    const list = await this.call('ListDispatch', () => dispatch.listDispatch(roomName));
    return list.map(toDispatchView);
  }

  async deleteDispatch(dispatchId: string, roomName: string): Promise<void> {
    const { dispatch } = await this.load();
    await this.call('DeleteDispatch', () => dispatch.deleteDispatch(dispatchId, roomName));
  }
}

function toRoomView(r: import('livekit-server-sdk').Room): RoomView {
  return {
    name: r.name,
    sid: r.sid,
    numParticipants: r.numParticipants,
    numPublishers: r.numPublishers,
    createdAtMs: toMs(r.creationTimeMs) ?? toMs(r.creationTime) ?? 0,
    emptyTimeoutS: r.emptyTimeout,
    departureTimeoutS: r.departureTimeout,
    metadata: r.metadata,
  };
}

function toDispatchView(d: import('livekit-server-sdk').AgentDispatch): DispatchView {
  return {
    id: d.id,
    agentName: d.agentName,
    room: d.room,
    metadata: d.metadata,
    createdAtMs: toMs(d.state?.createdAt),
    jobs: (d.state?.jobs ?? []).map((j) => ({
      id: j.id,
      status: JOB_STATUS[j.state?.status ?? 0] ?? String(j.state?.status),
      workerId: j.state?.workerId ?? '',
      participantIdentity: j.state?.participantIdentity ?? '',
      error: j.state?.error ?? '',
      startedAtMs: toMs(j.state?.startedAt),
    })),
  };
}
