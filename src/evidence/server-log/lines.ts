/** The quoted log lines correlate.ts and departed.ts both keep (types only, so neither imports the other). */

export interface QuotedLine {
  time: Date;
  /** 1-based line number in the log. */
  line: number;
  /** The log line, redacted and shortened. */
  quote: string;
}

export interface RegisteredWorker extends QuotedLine {
  agentName: string;
  workerId: string;
  jobType: string;
  /** Set when the worker left inside the window. */
  deregisteredAt?: Date;
}
