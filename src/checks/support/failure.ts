import { ServerApiError } from '../../livekit/server-api.js';
import { fail, type Outcome } from '../check.js';

/** A failed server call as a check outcome: its classified cause, one line and the fix. */
export function failedCall(err: unknown, what: string, evidence: Record<string, unknown> = {}): Outcome {
  if (err instanceof ServerApiError) {
    const f = err.failure;
    return fail(`${what}: ${f.message.replace(/^[A-Za-z /]+: /, '')}`, { cause: f.cause, fix: { text: f.fix }, evidence: { ...evidence, status: f.status } });
  }
  throw err;
}
