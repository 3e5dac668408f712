import type { CheckResult } from '../core/model.js';

/**
 * `livekit_doctor_check_status`: 1 pass · 0.5 warn · 0 not working (fail, error, or skipped because a step it
 * needs did not pass: the path is broken there too). A check skipped by design (not applicable to this run,
 * `--skip`, or cut short by the monitor's own shutdown) has no status: undefined.
 */
export function checkStatusValue(c: Pick<CheckResult, 'status' | 'skippedBecause'>): number | undefined {
  switch (c.status) {
    case 'pass':
      return 1;
    case 'warn':
      return 0.5;
    case 'fail':
    case 'error':
      return 0;
    case 'skip':
      return c.skippedBecause && c.skippedBecause !== '--skip' && c.skippedBecause !== 'interrupt' ? 0 : undefined;
  }
}
