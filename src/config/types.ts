/** Where a setting's value came from, in the order of precedence. */
export type SourceKind = 'flag' | 'env' | 'env-file' | 'lk-project' | 'default';

export interface Provenance {
  kind: SourceKind;
  /** Human words: `flag --url`, `env LIVEKIT_URL`, `/app/.env.local line 3`, `lk project "dev" (~/.livekit/cli-config.yaml)`. */
  detail: string;
}

export interface Sourced<T> {
  value: T;
  from: Provenance;
}

/** The settings that name a LiveKit project. */
export type ConnectionField = 'url' | 'apiKey' | 'apiSecret';

/** A resolved, validated connection: everything a server call needs. */
export interface Connection {
  /** As given (ws://, wss://, http://, https://), trailing slash removed. */
  url: string;
  /** http(s):// form, for the server API and health calls. */
  httpUrl: string;
  /** ws(s):// form, for the worker socket and rtc. */
  wsUrl: string;
  apiKey: string;
  apiSecret: string;
  /** Deadline for each network call. */
  timeoutMs: number;
}

export interface ConfigProblem {
  field: ConnectionField | string;
  /** One line: what is wrong, where the value came from, how to fix it. */
  message: string;
  /** Hard problems stop the run (exit 2); soft ones are warnings. */
  severity: 'error' | 'warning';
}

export interface ResolvedSettings {
  url?: Sourced<string>;
  apiKey?: Sourced<string>;
  apiSecret?: Sourced<string>;
  timeoutMs: number;
  /** Files that were read (env files, lk config), for the report. */
  filesRead: string[];
  problems: ConfigProblem[];
}

/** Options every command accepts (declared on the root program). */
export interface GlobalOptions {
  url?: string;
  apiKey?: string;
  apiSecret?: string;
  /** Explicit env files; `false` when --no-env-file was given. */
  envFile?: string[] | false;
  project?: string;
  /** Seconds. */
  timeout?: string;
  verbose?: boolean;
  color?: boolean;
  json?: boolean;
}
