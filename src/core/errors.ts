// Errors that reach the user as one line and a documented exit code (README: "Exit codes").
export const ExitCode = {
  ok: 0,
  /** A step failed at run time (used from the apply issue on). */
  failed: 1,
  /** Bad input: a file, field, flag or host that is wrong or unreachable. */
  badInput: 2,
  /** A blocking finding stops the plan (e.g. a live secret headed for the store). */
  blocked: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error whose message is fit to print as is: it names the file, field or host. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.badInput,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
