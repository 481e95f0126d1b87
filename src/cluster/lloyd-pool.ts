// One helper worker thread for lloyd.ts' per-row passes, so a large k-means uses two cores.
//
// lloyd() stays synchronous: the calling thread posts a command in shared memory, works through its
// own rows, then blocks in Atomics.wait until the helper is done; no event-loop messages. Rows
// [0, sharedFrom) are the caller's; rows [sharedFrom, rows) are split in CHUNK-row chunks that both
// threads claim from one atomic counter, so a thread slowed by other load simply takes fewer. The
// helper holds a shared copy of only those rows (none when the matrix already lives in a
// SharedArrayBuffer). Both threads run the same kernels (lloyd-kernels.ts, their source text is the
// worker's code), and every row's result depends only on that row, so the split never changes a result.
//
// A helper that has not started yet (or never does) only means the caller takes every chunk: a
// command is "joined" by the helper with a compare-exchange, and the caller closes it the same way
// once the chunks run out, waiting only for a helper that did join.
import { Worker } from 'node:worker_threads';
import { expectDelayedRelease } from '../util/collect-garbage.ts';

import { fullRange, inertiaRange, runRange, sqd1, sqd2, stepRange, type LloydState } from './lloyd-kernels.ts';

/** Rows per unit of work; fullRange (lloyd-kernels.ts) restarts its guess at multiples of it. */
export const CHUNK = 8192;
// Control words (Int32Array over a SharedArrayBuffer).
const GEN = 0; // bumped for every command
const CMD = 1;
const NEXT = 2; // next shared chunk to claim
const JOINED = 3; // 0 open, 1 the helper joined, 2 closed by the caller
const LEFT = 4; // 1 once a joined helper has finished
const FAILED = 5;
const READY = 6; // 1 once the helper has started and touched its copy's pages
const COPIED = 7; // 1 once the caller has filled the helper's copy
const STOP = 99;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
${[sqd1, sqd2, fullRange, stepRange, inertiaRange, runRange].map((f) => f.toString()).join('\n')}
const d = workerData;
const f64 = (v) => new Float64Array(v.buffer, v.byteOffset, v.length);
const i32 = (v) => new Int32Array(v.buffer, v.byteOffset, v.length);
const f32 = (v) => new Float32Array(v.buffer, v.byteOffset, v.length);
const s = {
  mat: f64(d.mat), base: d.base, cols: d.cols, k: d.k, centers: f64(d.centers), assignments: i32(d.assignments),
  upper: f64(d.upper), lower: f64(d.lower), second: i32(d.second), movedFrom: i32(d.movedFrom), shift: f64(d.shift), halfGap: f64(d.halfGap),
  cc: f64(d.cc), bounds: f32(d.bounds), cumShift: f64(d.cumShift), scalars: f64(d.scalars),
};
const ctrl = new Int32Array(d.ctrl);
if (d.touch) s.mat.fill(0);
Atomics.store(ctrl, ${READY}, 1);
while (Atomics.load(ctrl, ${COPIED}) === 0) Atomics.wait(ctrl, ${COPIED}, 0);
let seen = 0;
for (;;) {
  let g;
  while ((g = Atomics.load(ctrl, ${GEN})) === seen) Atomics.wait(ctrl, ${GEN}, seen);
  seen = g;
  if (Atomics.compareExchange(ctrl, ${JOINED}, 0, 1) !== 0) continue;
  const cmd = Atomics.load(ctrl, ${CMD});
  if (cmd !== ${STOP}) {
    try {
      for (;;) {
        const c = Atomics.add(ctrl, ${NEXT}, 1);
        if (c >= d.chunks) break;
        runRange(cmd, s, d.sharedFrom + c * ${CHUNK}, Math.min(d.rows, d.sharedFrom + (c + 1) * ${CHUNK}));
      }
    } catch {
      Atomics.store(ctrl, ${FAILED}, 1);
    }
  }
  Atomics.store(ctrl, ${LEFT}, 1);
  Atomics.notify(ctrl, ${LEFT});
  if (cmd === ${STOP}) break;
}
`;

/** A Float64Array / Int32Array of `length` in shared memory. */
export function sharedF64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}
export function sharedI32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}
export function sharedF32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}

export class LloydPool {
  private readonly ctrl = sharedI32(8);
  private readonly worker: Worker;
  private readonly sharedFrom: number;
  private readonly chunks: number;
  private readonly workerMat: Float64Array;
  private copied: boolean;

  /** `state` must be built on shared memory (sharedF64/sharedI32) except `mat`, the caller's matrix. */
  constructor(private readonly state: LloydState, private readonly rows: number) {
    const { mat, cols } = state;
    if (mat.buffer instanceof SharedArrayBuffer) {
      this.sharedFrom = 0;
      this.workerMat = mat;
      this.copied = true;
    } else {
      this.sharedFrom = Math.min(rows, Math.ceil(rows / 2 / CHUNK) * CHUNK);
      this.workerMat = sharedF64((rows - this.sharedFrom) * cols);
      this.copied = false;
    }
    this.chunks = Math.ceil((rows - this.sharedFrom) / CHUNK);
    if (this.copied) Atomics.store(this.ctrl, COPIED, 1);
    const view = (v: Float64Array | Float32Array | Int32Array) => ({ buffer: v.buffer, byteOffset: v.byteOffset, length: v.length });
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      execArgv: [], // plain JavaScript: no loader hooks (tsx) to start
      workerData: {
        ctrl: this.ctrl.buffer, rows, cols, k: state.k, chunks: this.chunks, sharedFrom: this.sharedFrom,
        // First touching a fresh page costs more than copying into it (measured: ~450 ms for the
        // 120 MB half of a 1M x 30 matrix on this VM, 10 ms to copy once touched), so the helper
        // touches its copy's pages itself while the caller starts alone; see tryCopy().
        touch: !this.copied, base: this.copied ? 0 : this.sharedFrom, mat: view(this.workerMat),
        centers: view(state.centers), assignments: view(state.assignments), upper: view(state.upper), lower: view(state.lower),
        second: view(state.second), movedFrom: view(state.movedFrom), shift: view(state.shift), halfGap: view(state.halfGap), cc: view(state.cc),
        bounds: view(state.bounds), cumShift: view(state.cumShift), scalars: view(state.scalars),
      },
    });
    this.worker.unref();
    this.worker.on('error', () => {}); // a helper that dies leaves its chunks to the caller, or sets FAILED
  }

  /** Once the helper has touched its copy's pages, fill the copy and let the helper take chunks. */
  private tryCopy(): void {
    if (this.copied || Atomics.load(this.ctrl, READY) !== 1) return;
    this.workerMat.set(this.state.mat.subarray(this.sharedFrom * this.state.cols, this.rows * this.state.cols));
    this.copied = true;
    Atomics.store(this.ctrl, COPIED, 1);
    Atomics.notify(this.ctrl, COPIED);
  }

  /** Runs `cmd` over all rows, on both threads once the helper is ready; returns when every row is done. */
  run(cmd: number): void {
    const c = this.ctrl;
    Atomics.store(c, CMD, cmd);
    Atomics.store(c, NEXT, 0);
    Atomics.store(c, LEFT, 0);
    Atomics.store(c, JOINED, 0);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    for (let from = 0; from < this.sharedFrom; from += CHUNK) {
      this.tryCopy();
      runRange(cmd, this.state, from, Math.min(this.sharedFrom, from + CHUNK));
    }
    for (;;) {
      const chunk = Atomics.add(c, NEXT, 1);
      if (chunk >= this.chunks) break;
      runRange(cmd, this.state, this.sharedFrom + chunk * CHUNK, Math.min(this.rows, this.sharedFrom + (chunk + 1) * CHUNK));
    }
    if (Atomics.compareExchange(c, JOINED, 0, 2) !== 0) {
      while (Atomics.load(c, LEFT) === 0) Atomics.wait(c, LEFT, 0);
    }
    if (Atomics.load(c, FAILED)) throw new Error('lloyd: the helper worker thread failed');
  }

  /** Stops and terminates the helper thread (the only thread this module starts). */
  close(): void {
    const c = this.ctrl;
    Atomics.store(c, CMD, STOP);
    Atomics.store(c, JOINED, 0);
    Atomics.add(c, GEN, 1);
    Atomics.notify(c, GEN);
    this.worker.terminate().catch(() => {});
    expectDelayedRelease();
  }
}
