// Reads a text file line by line in large chunks, handing each line as a byte range of a reused
// buffer: a file of any size costs one chunk of memory and no string per line.
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK = 4 * 1024 * 1024;

/**
 * Calls `each(bytes, start, end, lineNo)` for every line (1-based number, end excludes the "\n";
 * a final line without one counts too). `bytes` is valid only during the call. Throws the
 * fs error of an unreadable file.
 */
export function forEachLine(path: string, each: (bytes: Buffer, start: number, end: number, lineNo: number) => void, chunkBytes = CHUNK): void {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(Math.max(1, chunkBytes));
    let have = 0;
    let lineNo = 0;
    for (;;) {
      if (have === buf.length) {
        // One line longer than the buffer: make room for it.
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      const got = readSync(fd, buf, have, buf.length - have, null);
      const end = have + got;
      let start = 0;
      for (let nl = buf.indexOf(10, start); nl >= 0 && nl < end; nl = buf.indexOf(10, start)) {
        each(buf, start, nl, ++lineNo);
        start = nl + 1;
      }
      if (got === 0) {
        if (start < end) each(buf, start, end, ++lineNo);
        return;
      }
      buf.copy(buf, 0, start, end);
      have = end - start;
    }
  } finally {
    closeSync(fd);
  }
}
