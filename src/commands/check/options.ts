/** The flags of `check` as commander parses them (strings, before validation). */
export interface CheckCommandOptions extends AppCheckFlags {
  agent?: string;
  probeName?: string;
  probeMode: 'accept' | 'observe' | 'reject';
  probeAnswerDelay?: string;
  workerId?: string;
  voice?: boolean;
  voiceInput?: string;
  wait: string;
  listChecks?: boolean;
  only?: string[];
  skip?: string[];
  strict?: boolean;
  junit?: string;
  format?: 'terminal' | 'github';
  bundle?: string;
  repeat?: string;
  interval?: string;
  agentHttp?: string[];
  serverLog?: string;
  /** --node (repeatable): each cluster node's own address. */
  node?: string[];
  /** --yes: no question before a large --node run against servers not on this machine. */
  yes?: boolean;
  /** --sip: the SIP checks (dispatch rules, inbound trunks). */
  sip?: boolean;
}

/** The `check` options of the app-side checks (token endpoint, token, env files, the user's room). */
export interface AppCheckFlags {
  tokenEndpoint?: string;
  tokenEndpointBody?: string;
  token?: string;
  agentEnv?: string;
  backendEnv?: string;
  frontendEnv?: string;
  room?: string;
  dispatchRoom?: string;
  dispatchedAt?: string;
}
