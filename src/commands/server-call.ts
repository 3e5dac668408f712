import { OperationError, ExitCode } from '../core/errors.js';
import type { GlobalOptions } from './shared.js';
import type { ServerApi } from '../livekit/server-api.js';
import type { ClassifiedFailure } from '../livekit/classify.js';
export { mapLimited } from '../core/map-limited.js';

/**
 * The thin-command frame: settings → ServerApi → the command's work. A classified server failure
 * becomes one line with its fix and exit code (2 for credentials, 1 otherwise).
 */
export async function withServerApi<T>(opts: GlobalOptions, work: (api: ServerApi) => Promise<T>): Promise<T> {
  const [{ loadConnection }, { ServerApi, ServerApiError }] = await Promise.all([
    import('../config/index.js'),
    import('../livekit/server-api.js'),
  ]);
  const { connection } = await loadConnection(opts);
  try {
    return await work(new ServerApi(connection));
  } catch (err) {
    if (err instanceof ServerApiError) throw failureError(err.failure);
    throw err;
  }
}

export function failureError(failure: ClassifiedFailure): OperationError {
  return new OperationError(`${failure.message} — ${failure.fix}`, failure.isConfiguration ? ExitCode.usage : ExitCode.failed, failure.cause);
}

/** Fails with the classified room-not-found line unless the room is live (ListParticipants/ListDispatch cannot tell). */
export async function requireRoom(api: ServerApi, room: string, operation: string): Promise<import('../livekit/server-api.js').RoomView> {
  const [found] = await api.listRooms([room]);
  if (found) return found;
  const { fixFor } = await import('../livekit/classify.js');
  throw new OperationError(`${operation}: room "${room}" does not exist on this server — ${fixFor('room-not-found')}`, ExitCode.failed, 'room-not-found');
}

/** JSON on stdout, redacted, and nothing else there. */
export async function printJson(doc: unknown): Promise<void> {
  const { redactDeep } = await import('../core/redact.js');
  process.stdout.write(`${JSON.stringify(redactDeep(doc), null, 2)}\n`);
}

export async function printText(lines: string[]): Promise<void> {
  const { redact } = await import('../core/redact.js');
  process.stdout.write(`${redact(lines.join('\n'))}\n`);
}
