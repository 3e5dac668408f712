import type { ServerApi } from '../livekit/server-api.js';
import type { Timeline } from '../core/timeline.js';
import type { BenchTargetDriver } from './target.js';
import { pause } from '../core/cleanup.js';

/**
 * The user's real agent: dispatch → agent participant in the room. Seen by polling ListParticipants
 * for the one room, every `pollMs`. Polling rather than joining each room as an rtc-node listener:
 * a listener is a real participant, which changes what many agents do (they greet, wait for audio,
 * stay), costs a media connection per dispatch on a 2-core machine, and its own ~200 ms join would
 * have to finish before the dispatch. The price is resolution: a join is seen up to one poll late.
 */
export const AGENT_POLL_MS = 100;

export function agentTarget(api: ServerApi, timeline: Timeline, agentName: string, pollMs = AGENT_POLL_MS): BenchTargetDriver {
  return {
    agentName,
    workerIds: [],
    expect() {},
    async wait(sample, deadlineMs, signal) {
      let lastEmptyPollAt = sample.sentAtMs;
      while (!signal.aborted && timeline.clock.now() < deadlineMs) {
        const polledAt = timeline.clock.now();
        try {
          const agent = (await api.listParticipants(sample.room)).find((p) => p.isAgent && (p.agentName === undefined || p.agentName === agentName));
          if (agent) {
            // The join happened between the last poll that did not see it and this one: take the midpoint.
            sample.joinedAtMs = Math.round(((lastEmptyPollAt + polledAt) / 2) * 10) / 10;
            sample.participantIdentity = agent.identity;
            return;
          }
        } catch {
          // a slow or failed poll is retried until the deadline; the loss is classified from what was seen
        }
        lastEmptyPollAt = polledAt;
        await pause(Math.min(pollMs, Math.max(0, deadlineMs - timeline.clock.now())), signal);
      }
    },
    async stop() {},
  };
}
