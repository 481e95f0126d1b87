// Errors classified by who has to act (cli-kit style):
// - UserError: bad input or a missing prerequisite the user can fix; exit 2, with a hint.
// - RunFailure: the run or check itself failed (a leak found, a step failed); exit 1.
// - BugError: an invariant of scanlab broke; to be reported.

export class UserError extends Error {
  readonly exitCode = 2;
  constructor(message: string, readonly hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}

export class RunFailure extends Error {
  readonly exitCode = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunFailure';
  }
}

export class BugError extends Error {
  readonly exitCode = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BugError';
  }
}

/** Text for a user: the message, then the hint on its own line. */
export function formatError(error: unknown): { text: string; exitCode: number } {
  if (error instanceof UserError) {
    return { text: error.hint ? `${error.message}\n  hint: ${error.hint}` : error.message, exitCode: 2 };
  }
  if (error instanceof RunFailure) return { text: error.message, exitCode: 1 };
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { text: `scanlab hit a bug; please report it with this text:\n${detail}`, exitCode: 1 };
}
