// Typed arrays moved out of the process's memory into a scratch file and read back byte for byte
// later: for whole-capture arrays that a phase of a large analysis does not read (columns during
// k-means, connection attempts between the detectors that use them). The file is unlinked as soon
// as it is open, so a crash or an abort leaves nothing behind; the page cache holds the bytes, not
// the process, and writing and reading back a few hundred MB takes well under a second.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.ts';

type Typed = Float64Array | Float32Array | Uint32Array | Int32Array | Uint16Array | Int16Array | Uint8Array | Int8Array;

/** Bytes per write or read call (Node's limit is 2 GiB a call). */
const IO_STEP = 1 << 28;

export class SpilledArrays<K extends string> {
  private readonly fd: number;
  private readonly placed: { key: K; type: new (n: number) => Typed; length: number; at: number }[] = [];

  /** Writes every array out; the caller drops its own references so their memory can go. */
  constructor(arrays: Readonly<Record<K, Typed>>) {
    try {
      const dir = mkdtempSync(join(tmpdir(), 'scanlab-spill-'));
      try {
        this.fd = openSync(join(dir, 'arrays'), 'w+');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } catch (cause) {
      throw scratchError(cause);
    }
    let at = 0;
    try {
      for (const key of Object.keys(arrays) as K[]) {
        const a = arrays[key];
        const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
        for (let o = 0; o < bytes.length; o += IO_STEP) writeSync(this.fd, bytes, o, Math.min(IO_STEP, bytes.length - o), at + o);
        this.placed.push({ key, type: a.constructor as new (n: number) => Typed, length: a.length, at });
        at += bytes.length;
      }
    } catch (cause) {
      closeSync(this.fd);
      throw scratchError(cause);
    }
  }

  /** Fresh arrays with the values written, each of its own type (the file stays for another restore). */
  restore(): Record<K, Typed> {
    const out = {} as Record<K, Typed>;
    for (const { key, type, length, at } of this.placed) {
      const a = new type(length);
      const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
      for (let o = 0; o < bytes.length; o += IO_STEP) {
        const want = Math.min(IO_STEP, bytes.length - o);
        const got = readSync(this.fd, bytes, o, want, at + o);
        if (got !== want) throw new Error(`spilled arrays: read ${got} bytes of ${key} back, expected ${want}`);
      }
      out[key] = a;
    }
    return out;
  }

  /** Closes the file (and so frees its space); no restore after this. */
  close(): void {
    closeSync(this.fd);
  }
}

function scratchError(cause: unknown): UserError {
  return new UserError(`cannot write a scratch file in ${tmpdir()} (${(cause as Error).message})`, 'a large analysis moves arrays it does not need at the moment there: free some space, or point TMPDIR at a disk with room', { cause });
}
