/** The flags of `talk` as commander parses them. */
export interface TalkCommandOptions {
  agent: string;
  turns: string;
  voiceInput?: string;
  wait: string;
  slo?: string;
  html?: string;
  yes?: boolean;
}
