// Outputs that are whole or absent, never half-written. Every result scanlab writes for a user
// goes through here:
//
//   writeFileAtomic(path, data)        one file: written to a temporary name in the same folder,
//                                      flushed, then renamed over `path`.
//   writeFolderAtomic(dir, files)      several files, all or none: into a new folder through a
//                                      temporary folder renamed into place; into an existing
//                                      folder as temporary files renamed only once all are
//                                      written (other files in it are never touched).
//   buildFolderAtomic(dir, build)      a folder whose files are streamed by `build(tmp)` (a
//                                      dataset): `dir` appears only if `build` finishes.
//
// Temporary names start with a dot and hold the writer's process id (".name.tmp-<pid>-<n>"), so
// nothing half-written looks like a result; a temporary left by a killed scanlab is removed by
// the next write beside it, and one left by a forced exit is removed on the way out.

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { atForcedExit } from './stop-signals.ts';

export type FileContents = string | Uint8Array;

/** Writes `data` to `path` so that `path` holds either its old content or all of `data`. */
export function writeFileAtomic(path: string, data: FileContents, options: { mode?: number } = {}): void {
  const target = resolve(path);
  const tmp = temporaryName(target);
  const forget = atForcedExit(() => rmSync(tmp, { force: true }));
  try {
    writeAndFlush(tmp, data, options.mode);
    renameSync(tmp, target);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  } finally {
    forget();
  }
}

/** Writes every file of `files` (names relative to `dir`, no subfolders) into `dir`, or none. */
export function writeFolderAtomic(dir: string, files: Record<string, FileContents>): void {
  const target = resolve(dir);
  for (const name of Object.keys(files)) {
    if (name !== basename(name) || name.startsWith('.')) throw new Error(`writeFolderAtomic: "${name}" is not a plain file name`);
  }
  if (!existsSync(target)) {
    buildFolderAtomic(target, (tmp) => {
      for (const [name, data] of Object.entries(files)) writeAndFlush(join(tmp, name), data);
    });
    return;
  }
  const temps = Object.keys(files).map((name) => ({ name, tmp: temporaryName(join(target, name)) }));
  const removeAll = () => temps.forEach(({ tmp }) => rmSync(tmp, { force: true }));
  const forget = atForcedExit(removeAll);
  try {
    for (const { name, tmp } of temps) writeAndFlush(tmp, files[name]);
    for (const { name, tmp } of temps) renameSync(tmp, join(target, name));
  } catch (error) {
    removeAll();
    throw error;
  } finally {
    forget();
  }
}

/**
 * Runs `build(tmp)` on a fresh temporary folder beside `dir`, then puts it in place of `dir`
 * (an existing `dir` is replaced: the caller decides whether it may be). On any failure the
 * temporary folder is removed and `dir` is left as it was.
 */
export function buildFolderAtomic<T>(dir: string, build: (tmp: string) => T): T;
export function buildFolderAtomic<T>(dir: string, build: (tmp: string) => Promise<T>): Promise<T>;
export function buildFolderAtomic<T>(dir: string, build: (tmp: string) => T | Promise<T>): T | Promise<T> {
  const target = resolve(dir);
  const tmp = temporaryName(target);
  mkdirSync(tmp);
  const forget = atForcedExit(() => rmSync(tmp, { recursive: true, force: true }));
  const fail = (error: unknown): never => {
    forget();
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  };
  const finish = (value: T): T => {
    try {
      if (existsSync(target)) {
        const old = `${tmp}.old`;
        renameSync(target, old);
        renameSync(tmp, target);
        rmSync(old, { recursive: true, force: true });
      } else {
        renameSync(tmp, target);
      }
    } catch (error) {
      return fail(error);
    }
    forget();
    return value;
  };
  let result: T | Promise<T>;
  try {
    result = build(tmp);
  } catch (error) {
    return fail(error);
  }
  return result instanceof Promise ? result.then(finish, fail) : finish(result);
}

function writeAndFlush(path: string, data: FileContents, mode = 0o644): void {
  const fd = openSync(path, 'wx', mode);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

let counter = 0;

/** ".<name>.tmp-<pid>-<n>" beside `target`; first removes such names left by dead processes. */
function temporaryName(target: string): string {
  const folder = dirname(target);
  const prefix = `.${basename(target)}.tmp-`;
  removeStaleTemporaries(folder, prefix);
  return join(folder, `${prefix}${process.pid}-${++counter}${randomBytes(3).toString('hex')}`);
}

function removeStaleTemporaries(folder: string, prefix: string): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return; // The write itself will say what is wrong with the folder.
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (pid && pid !== process.pid && !processAlive(pid)) rmSync(join(folder, name), { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
