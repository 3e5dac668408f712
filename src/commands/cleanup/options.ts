export interface CleanupCommandOptions {
  delete?: boolean;
  olderThan: string;
  room?: string[];
}
