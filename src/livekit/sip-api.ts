import type { Connection } from '../config/types.js';
import { withDeadline } from '../core/cleanup.js';
import { classifyFailure } from './classify.js';
import { ServerApiError } from './server-api.js';
import { loadServerSdk } from './sdk.js';

/** A SIP dispatch rule as the doctor shows it: no PIN, no secret, only what decides where a call goes. */
export interface SipDispatchRuleView {
  id: string;
  name: string;
  /** Inbound trunk ids the rule accepts calls from; empty means every trunk. */
  trunkIds: string[];
  /** direct: every call into one room; individual: a new room per caller; callee: a room per called number. */
  kind: 'direct' | 'individual' | 'callee' | 'unknown';
  /** The room name (direct) or room name prefix (individual, callee). */
  room: string;
  /** Whether callers must enter a PIN (the PIN itself is never read out). */
  hasPin: boolean;
  /** The called numbers the rule is limited to (empty: any). */
  numbers: string[];
  /** The callers' numbers the rule is limited to (empty: any). */
  inboundNumbers: string[];
  /** The agents the rule's room configuration dispatches into every call's room, in order. */
  agents: { agentName: string; metadata: string }[];
  /** A room preset (LiveKit Cloud) whose agents the API does not show. */
  roomPreset: string;
}

/** An inbound SIP trunk: numbers and who may call in; credentials are never read out. */
export interface SipInboundTrunkView {
  id: string;
  name: string;
  numbers: string[];
  allowedAddresses: string[];
  allowedNumbers: string[];
  hasAuth: boolean;
}

/** The exact text self-hosted livekit-server answers (HTTP 500) for any SIP call when it runs without Redis. */
export const SIP_NEEDS_REDIS_TEXT = 'sip not connected (redis required)';

/** Whether a failed SIP call is the "no Redis, no SIP" answer of a self-hosted server. */
export function isSipNeedsRedis(err: unknown): boolean {
  return err instanceof ServerApiError && err.failure.message.toLowerCase().includes('sip not connected');
}

/** The SIP service's list calls; every call has one deadline and one classification, as the server API's. */
export class SipApi {
  private client?: Promise<import('livekit-server-sdk').SipClient>;

  constructor(readonly connection: Connection) {}

  private load() {
    this.client ??= Promise.resolve().then(() => {
      const sdk = loadServerSdk();
      const { httpUrl, apiKey, apiSecret, timeoutMs } = this.connection;
      return new sdk.SipClient(httpUrl, apiKey, apiSecret, { requestTimeout: Math.max(1, Math.ceil(timeoutMs / 1000)), failover: false });
    });
    return this.client;
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await withDeadline(fn(), this.connection.timeoutMs, operation);
    } catch (err) {
      throw new ServerApiError(classifyFailure(err, operation));
    }
  }

  async listDispatchRules(): Promise<SipDispatchRuleView[]> {
    const sip = await this.load();
    const rules = await this.call('ListSIPDispatchRule', () => sip.listSipDispatchRule());
    return rules.map(toRuleView);
  }

  async listInboundTrunks(): Promise<SipInboundTrunkView[]> {
    const sip = await this.load();
    const trunks = await this.call('ListSIPInboundTrunk', () => sip.listSipInboundTrunk());
    return trunks.map((t) => ({
      id: t.sipTrunkId,
      name: t.name,
      numbers: [...t.numbers],
      allowedAddresses: [...t.allowedAddresses],
      allowedNumbers: [...t.allowedNumbers],
      hasAuth: t.authUsername !== '' || t.authPassword !== '',
    }));
  }
}

function toRuleView(r: import('livekit-server-sdk').SIPDispatchRuleInfo): SipDispatchRuleView {
  const rule = r.rule?.rule;
  const kind = rule?.case === 'dispatchRuleDirect' ? 'direct' : rule?.case === 'dispatchRuleIndividual' ? 'individual' : rule?.case === 'dispatchRuleCallee' ? 'callee' : 'unknown';
  const room = rule?.case === 'dispatchRuleDirect' ? rule.value.roomName : rule?.case ? rule.value.roomPrefix : '';
  return {
    id: r.sipDispatchRuleId,
    name: r.name,
    trunkIds: [...r.trunkIds],
    kind,
    room,
    hasPin: !!rule?.value?.pin,
    numbers: [...(r.numbers ?? [])],
    inboundNumbers: [...(r.inboundNumbers ?? [])],
    agents: (r.roomConfig?.agents ?? []).map((a) => ({ agentName: a.agentName, metadata: a.metadata })),
    roomPreset: r.roomPreset,
  };
}
