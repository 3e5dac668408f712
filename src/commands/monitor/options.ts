/** The flags of `monitor` as commander parses them (strings, before validation). */
export interface MonitorCommandOptions {
  interval: string;
  listen: string;
  targets?: string;
  targetName?: string;
  runs?: string;
  runsPerProcess: string;
  // The check options a monitored run takes (validated by check's planCheck).
  agent?: string;
  probeName?: string;
  probeMode: 'accept' | 'observe' | 'reject';
  workerId?: string;
  voice?: boolean;
  voiceInput?: string;
  agentHttp?: string[];
  serverLog?: string;
  wait: string;
  only?: string[];
  skip?: string[];
  strict?: boolean;
}
