// The one check every command makes of a path the user gave, before it opens anything: inputs
// and outputs must be regular files or folders. A FIFO with no writer blocks open() forever, a
// device or a file under /proc or /sys never ends or changes while read, so they are refused up
// front (exit 2) instead of hanging. Symbolic links are followed: it is what they point to that
// counts.

import { existsSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { UserError } from '../errors.ts';

/** Kernel and device trees: never data files, and reading them may never end. */
const SPECIAL_TREES = ['/proc', '/sys', '/dev'];

export type PathKind = 'file' | 'folder';

/** What a path is, in words, when it is neither a regular file nor a folder. */
function specialKind(stats: Stats): string | undefined {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (!stats.isFile() && !stats.isDirectory()) return 'not a regular file';
  return undefined;
}

function underSpecialTree(path: string): string | undefined {
  let real = resolve(path);
  try {
    real = realpathSync(real);
  } catch {
    // Does not exist (yet): judge the path as given.
  }
  return SPECIAL_TREES.find((tree) => real === tree || real.startsWith(tree + sep));
}

/**
 * An existing input of one of `kinds`: returns which it is. `what` names it in messages
 * ("capture file", "--key"), `hint` says what to give instead when it does not exist.
 */
export function checkInput(path: string, what: string, kinds: readonly PathKind[], hint: string): PathKind {
  const tree = underSpecialTree(path);
  if (tree) throw new UserError(`${what} ${path} is under ${tree}, a kernel or device tree, not a data file`, 'copy what you need to a regular file first');
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UserError(`${what} ${path} does not exist`, hint, { cause });
    throw cause;
  }
  const special = specialKind(stats);
  if (special) throw new UserError(`${what} ${path} is ${special}, not a regular file or folder: reading it could wait forever`, 'save the data to a regular file first, and give that');
  const kind: PathKind = stats.isDirectory() ? 'folder' : 'file';
  if (!kinds.includes(kind)) {
    throw new UserError(kind === 'folder' ? `${what} ${path} is a folder, not a file` : `${what} ${path} is a file, not a folder`, hint);
  }
  return kind;
}

/**
 * A path scanlab is about to write (a file or a folder of `kind`): if it exists it must be of that
 * kind, and its folder must exist. Whether an existing one may be replaced is the caller's rule.
 */
export function checkOutput(path: string, what: string, kind: PathKind): void {
  const tree = underSpecialTree(path);
  if (tree) throw new UserError(`${what} ${path} is under ${tree}, a kernel or device tree`, 'write the output to a regular folder');
  const parent = dirname(resolve(path));
  if (!existsSync(parent)) throw new UserError(`the folder for ${what} ${path} does not exist`, `create ${parent} first, or choose another path`);
  if (!statSync(parent).isDirectory()) throw new UserError(`${parent}, the folder for ${what} ${path}, is a file`, 'choose a path inside a folder');
  if (!existsSync(path)) return;
  const stats = statSync(path);
  const special = specialKind(stats);
  if (special) throw new UserError(`${what} ${path} is ${special}, not a regular ${kind === 'file' ? 'file' : 'folder'}`, 'choose a regular path for the output');
  if (kind === 'folder' && !stats.isDirectory()) throw new UserError(`${what} ${path} is a file, not a folder`, 'give a folder path (new or existing), or remove the file');
  if (kind === 'file' && stats.isDirectory()) throw new UserError(`${what} ${path} is a folder, not a file`, 'give a file path, or remove the folder');
}
