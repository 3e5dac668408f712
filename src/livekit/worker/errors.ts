import { redact } from '../../core/redact.js';
import { classifyFailure, classifyUnauthorized, fixFor, type FailureCause } from '../classify.js';

/** Worker-only outcomes on top of the shared failure causes. */
export type WorkerCause = FailureCause | 'register-timeout' | 'socket-closed' | 'aborted' | 'protocol-error';

const WORKER_FIXES: Record<Exclude<WorkerCause, FailureCause>, string> = {
  'register-timeout': 'the server accepted the socket but never confirmed the registration: check that this URL is a LiveKit server (not a proxy that swallows WebSocket frames)',
  'socket-closed': 'the server closed the worker socket: check its log for "unable to handle worker signal" or a shutdown',
  aborted: 'the run was interrupted',
  'protocol-error': 'the server sent a frame the doctor cannot read: compare the server version with the supported ones',
};

const CONFIGURATION_CAUSES = new Set<WorkerCause>(['unknown-api-key', 'bad-signature', 'permission-denied', 'unauthenticated']);

/** A classified, redacted failure of the probe worker. `message` is one line and never holds a secret or token. */
export class WorkerError extends Error {
  override readonly cause: WorkerCause;
  readonly status?: number;
  readonly fix: string;
  /** Bad credentials are configuration errors (exit 2); the rest are failures (exit 1). */
  readonly isConfiguration: boolean;
  /** Milliseconds since the run started, when it happened. */
  readonly atMs?: number;

  constructor(cause: WorkerCause, message: string, opts: { status?: number; fix?: string; atMs?: number; secrets?: string[] } = {}) {
    super(redact(message.replace(/\s+/g, ' ').trim(), opts.secrets ?? []));
    this.name = 'WorkerError';
    this.cause = cause;
    if (opts.status !== undefined) this.status = opts.status;
    if (opts.atMs !== undefined) this.atMs = opts.atMs;
    this.fix = opts.fix ?? (cause in WORKER_FIXES ? WORKER_FIXES[cause as keyof typeof WORKER_FIXES] : fixFor(cause as FailureCause));
    this.isConfiguration = CONFIGURATION_CAUSES.has(cause);
  }
}

/** A non-101 answer to the upgrade: 401 bodies name the reason (and may echo the whole token). */
export function upgradeRejected(status: number, body: string, secrets: string[] = []): WorkerError {
  const text = redact(body.trim().slice(0, 500), secrets);
  if (status === 401 || status === 403) {
    const cause = classifyUnauthorized(text);
    return new WorkerError(cause, `worker socket refused with ${status}: ${text || '(empty body)'}`, { status, secrets });
  }
  if (status === 404) {
    return new WorkerError('not-found', `worker socket refused with 404 (no /agent endpoint at this URL): ${text}`, { status, secrets });
  }
  const cause: FailureCause = status >= 500 ? 'server-error' : status === 400 ? 'bad-request' : 'unknown';
  return new WorkerError(cause, `worker socket refused with ${status}: ${text}`, { status, secrets });
}

/** A socket-level error (refused, DNS, TLS, reset…) while opening or using the worker socket. */
export function socketFailed(err: unknown, secrets: string[] = []): WorkerError {
  const failure = classifyFailure(err, 'worker socket');
  // OpenSSL errors carry a pointer, a code and a source path; the reason words are what helps.
  const message = failure.message.replace(/\s?[0-9A-F]{4,}:error:[0-9A-F]+:SSL routines:[^:]*:([^:]+):.*$/, ' (TLS: $1)');
  return new WorkerError(failure.cause, message, { secrets, fix: failure.fix });
}
