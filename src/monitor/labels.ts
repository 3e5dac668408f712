/**
 * Every label value the monitor exports comes from a closed set: target names (checked when the targets are
 * loaded), check ids (the registry), stage names (STAGES), run results (RUN_RESULTS) and cause ids (literals in
 * the checks and finding rules). Room names, job ids, URLs and anything a server answered never become a label.
 * A value that does not look like an id is exported as `other`, and each target keeps at most MAX_CAUSES
 * distinct causes, so that no input can make the number of series grow without bound.
 */
export const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
const ID = /^[a-z0-9][a-z0-9._-]{0,79}$/;
export const OTHER = 'other';
export const MAX_CAUSES = 64;

export const RUN_RESULTS = ['pass', 'fail', 'config_error', 'error', 'interrupted'] as const;
export type RunResult = (typeof RUN_RESULTS)[number];

/** The run's result label from the report's exit code (no report: the run itself broke). */
export function runResult(exitCode: number | undefined): RunResult {
  if (exitCode === undefined) return 'error';
  if (exitCode === 0) return 'pass';
  if (exitCode === 1) return 'fail';
  if (exitCode === 2) return 'config_error';
  if (exitCode === 130 || exitCode === 143) return 'interrupted';
  return 'error';
}

/** A check or cause id as a label value; anything else is `other`. */
export function idLabel(id: string | undefined): string {
  return id && ID.test(id) ? id : OTHER;
}

/** Admits at most `max` distinct values; later new ones map to `other`. */
export class BoundedValues {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}

  admit(value: string): string {
    const label = idLabel(value);
    if (this.seen.has(label)) return label;
    if (this.seen.size >= this.max) return OTHER;
    this.seen.add(label);
    return label;
  }
}
