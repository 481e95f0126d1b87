// Working arrays for k-means, kept between calls. Fresh memory costs a page fault per 4 KiB page on
// first touch, and on this kind of virtual machine that is ~3.5 ms per MB (measured: 35 ms to first
// touch 10 MB, 0.1 ms the second time): for a 100,000-row matrix, more than the clustering itself.
// So the per-row arrays of one clustering are views of buffers kept for the next one (the feature
// sets of one analysis, the candidates of --k auto, the seeds of a benchmark).
//
// A view is valid until the next request under the same name, and is not zeroed: its user writes
// every element before reading it. Buffers over KEEP_MAX_BYTES are handed out fresh and not kept,
// so a one-off huge clustering does not pin its memory. Past 4 MB (half a million rows of
// Float64) a fresh buffer's first touch (~3.5 ms a MB) is small beside the clustering itself,
// while a 64 MB cap kept ~100 MB of k-means++'s arrays for sds-window's 3.25M rows at 20M
// packets alive through every later phase of the analysis.

const KEEP_MAX_BYTES = 4 * 1024 * 1024;
const kept = new Map<string, ArrayBuffer>();

function buffer(name: string, bytes: number): ArrayBuffer {
  if (bytes > KEEP_MAX_BYTES) return new ArrayBuffer(bytes);
  let buf = kept.get(name);
  if (!buf || buf.byteLength < bytes) {
    buf = new ArrayBuffer(bytes);
    kept.set(name, buf);
  }
  return buf;
}

export function scratchF64(name: string, length: number): Float64Array {
  return new Float64Array(buffer(name, length * 8), 0, length);
}

export function scratchI32(name: string, length: number): Int32Array {
  return new Int32Array(buffer(name, length * 4), 0, length);
}

export function scratchU8(name: string, length: number): Uint8Array {
  return new Uint8Array(buffer(name, length), 0, length);
}
