import type { DispatchSample } from './types.js';

/** What a bench dispatches to, and how it sees each dispatch arrive. */
export interface BenchTargetDriver {
  /** The agent name every dispatch uses. */
  agentName: string;
  /** Probe target: the registered worker ids. */
  workerIds: string[];
  /** Called before CreateDispatch is sent, so that nothing arriving early is missed. */
  expect(sample: DispatchSample): void;
  /** Fills the sample's stages until it joined, failed, `deadlineMs` (run clock) passed or `signal` aborted. */
  wait(sample: DispatchSample, deadlineMs: number, signal: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}
