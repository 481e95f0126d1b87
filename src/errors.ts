// Errors classified by who has to act (cli-kit style):
// - UserError: bad input or a missing prerequisite the user can fix; exit 2, with a hint.
// - RunFailure: the run or check itself failed (a leak found, a step failed); exit 1.
// - BugError: an invariant of scanlab broke; to be reported.
// A Node system error about a file, a folder or a pipe (EACCES, ENOSPC, EISDIR ...) is the
// user's environment, not a bug: formatError turns it into a UserError naming the path.

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

/** What each system error code means for a path, and what the user can do about it. */
const SYSTEM_ERRORS: Record<string, { means: string; hint: string }> = {
  ENOENT: { means: 'does not exist', hint: 'check the path (and that its folder exists)' },
  EEXIST: { means: 'already exists', hint: 'remove it or choose another path' },
  ENOTDIR: { means: 'has a part that is a file, not a folder', hint: 'check the path: a file is in the way of a folder' },
  EISDIR: { means: 'is a folder where a file is needed', hint: 'give a file path, or remove the folder in the way' },
  ENOTEMPTY: { means: 'is a folder that is not empty', hint: 'choose an empty or new folder' },
  EACCES: { means: 'is not accessible: permission denied', hint: 'check its permissions (ls -ld), or choose another path' },
  EPERM: { means: 'cannot be changed: operation not permitted', hint: 'check its permissions and attributes (lsattr), or choose another path' },
  EROFS: { means: 'is on a read-only file system', hint: 'choose a path on a writable file system' },
  ENOSPC: { means: 'could not be written: no space left on the device', hint: 'free some space (df -h) or write to another disk' },
  EDQUOT: { means: 'could not be written: disk quota exceeded', hint: 'free some space or write elsewhere' },
  ESPIPE: { means: 'is a pipe or socket, not a file that can be read from any position', hint: 'save it to a regular file first' },
  ENAMETOOLONG: { means: 'is too long a name', hint: 'choose a shorter path' },
  ELOOP: { means: 'is a loop of symbolic links', hint: 'check the links on the path (ls -l)' },
  EMFILE: { means: 'could not be opened: too many open files', hint: 'raise the limit (ulimit -n) and retry' },
  EXDEV: { means: 'cannot be moved across file systems', hint: 'write the output on the same file system as its folder' },
  EBUSY: { means: 'is busy', hint: 'retry once the program using it is done' },
  ETXTBSY: { means: 'is busy', hint: 'retry once the program using it is done' },
  EIO: { means: 'could not be read or written: I/O error', hint: 'check the disk (dmesg)' },
  ENXIO: { means: 'is a device or pipe with nothing on the other end', hint: 'give a regular file' },
  EINVAL: { means: 'cannot be used this way (not a regular file?)', hint: 'give a regular file or folder' },
};

/** A Node system error (fs, net, child_process) with its code and, when it has one, its path. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** A system error about one of the user's paths as a UserError; undefined for anything else. */
export function systemErrorAsUserError(error: unknown): UserError | undefined {
  if (!isSystemError(error)) return undefined;
  const known = SYSTEM_ERRORS[error.code!];
  if (!known) return undefined;
  const path = error.path ?? (error as { dest?: string }).dest;
  const subject = path ? `${path}` : `a file or pipe (${error.syscall})`;
  const dest = (error as { dest?: string }).dest && error.path ? ` (to ${(error as { dest?: string }).dest})` : '';
  return new UserError(`${subject}${dest} ${known.means} [${error.code} in ${error.syscall}]`, known.hint, { cause: error });
}

/** Text for a user: the message, then the hint on its own line. */
export function formatError(error: unknown): { text: string; exitCode: number } {
  const asUser = error instanceof UserError ? error : systemErrorAsUserError(error);
  if (asUser) {
    return { text: asUser.hint ? `${asUser.message}\n  hint: ${asUser.hint}` : asUser.message, exitCode: 2 };
  }
  if (error instanceof RunFailure) return { text: error.message, exitCode: 1 };
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { text: `scanlab hit a bug; please report it with this text:\n${detail}`, exitCode: 1 };
}
