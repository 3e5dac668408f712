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

/** Flags whose value is a secret: never copied into a bug report. */
const SECRET_FLAGS = new Set(['--api-secret', '--token', '--api-key']);

/**
 * A bug in the doctor itself (exit 3). It prints a ready bug report: what failed, the versions and
 * the command line with secret values removed, so a user can paste it without editing.
 */
export class InternalError extends DoctorError {
  constructor(readonly original: unknown) {
    super(original instanceof Error ? original.message : String(original), ExitCode.internal);
    this.name = 'InternalError';
  }

  issueText(context: { version: string; argv: string[] }): string {
    const args = context.argv.slice(2).map((a, i, all) => (SECRET_FLAGS.has(all[i - 1] ?? '') ? '<removed>' : a.replace(/^(--api-secret|--token|--api-key)=.*/, '$1=<removed>')));
    const where = this.original instanceof Error ? (this.original.stack ?? '').split('\n').slice(1, 4).map((l) => l.trim()) : [];
    return [
      '--- bug report (paste it into a new issue) ---',
      `livekit-doctor ${context.version} internal error: ${this.message}`,
      `command: livekit-doctor ${args.join(' ')}`,
      `node ${process.version} on ${process.platform}-${process.arch}`,
      ...(where.length ? ['where:', ...where.map((l) => `  ${l}`)] : []),
      '---',
    ].join('\n');
  }
}
