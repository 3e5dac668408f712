/** The CI contract: every exit of the CLI goes through one of these codes. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  internal: 3,
  interrupted: 130,
  terminated: 143,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error the user can act on. The message is one line: what is wrong, where the value came
 * from, how to fix it. The top-level handler prints it without a stack (unless --verbose).
 */
export class DoctorError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCodeValue,
    readonly cause_?: string,
  ) {
    super(message);
    this.name = 'DoctorError';
  }
}

/** Bad flags, bad settings, unreadable files: exit 2. */
export class UsageError extends DoctorError {
  constructor(message: string) {
    super(message, ExitCode.usage);
    this.name = 'UsageError';
  }
}

/** An operation against the server failed for a classified reason: exit 1 (or 2 for bad credentials). */
export class OperationError extends DoctorError {
  constructor(message: string, exitCode: ExitCodeValue = ExitCode.failed, cause?: string) {
    super(message, exitCode, cause);
    this.name = 'OperationError';
  }
}
