import type { CheckOptions, Selection } from '../doctor.js';
import type { GlobalOptions } from '../config/types.js';
import type { Report } from '../core/model.js';

/**
 * Messages between the monitor and its run process (child.ts), over the fork IPC channel. The connection
 * (secret included) travels only here, never in argv or the environment.
 */
export interface ChildRunInput {
  target: string;
  globals: GlobalOptions;
  options: CheckOptions;
  selection: Selection;
  strict?: boolean;
  version: string;
  verbose?: boolean;
}

export type ToChild = { type: 'run'; id: number; input: ChildRunInput } | { type: 'abort'; id: number } | { type: 'exit' };

export type FromChild =
  | { type: 'ready' }
  /** The run message arrived: from here on, a death of the process fails the run (before it, the run moves on). */
  | { type: 'started'; id: number }
  | { type: 'report'; id: number; report: Report; rssBytes: number }
  | { type: 'error'; id: number; message: string };
