export interface BenchCommandOptions {
  agent?: string;
  dispatches: string;
  concurrency?: string;
  rate?: string;
  workers?: string;
  slo?: string;
  html?: string;
  yes?: boolean;
  probeAnswerDelay?: string;
}
