export { parseServerLog, looksBinary, NotAServerLogError, type LogEntry, type LogLevel, type ParsedServerLog } from './server-log/parse.js';
export {
  correlate,
  type CorrelateOptions,
  type ServerLogEvidence,
  type RegisteredWorker,
  type JobLine,
  type NameLine,
  type QuotedLine,
} from './server-log/correlate.js';
export { classifyServerLog, type ClassifyOptions, type ServerLogCause, type ServerLogVerdict, type ProbableIntent } from './server-log/classify.js';
export { readServerLog, MAX_LOG_BYTES, type ServerLogText, type ReadServerLogOptions } from './server-log/read.js';
export { participantLifecycle, type ParticipantLifecycle } from './server-log/lifecycle.js';
export { decideFromLog, quotedLine, type LogDecision, type LogDecisionKind } from './server-log/decide.js';
