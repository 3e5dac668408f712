export interface TokenCreateOptions {
  room: string;
  identity: string;
  name?: string;
  ttl: string;
  agent?: string;
  agentMetadata?: string;
  tokenOnly?: boolean;
}
