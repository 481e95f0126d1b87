// Lloyd's k-means iterations over a row-major Float64Array, accelerated with Hamerly's bounds
// (Hamerly 2010, "Making k-means even faster"): per row an upper bound on the distance to its own
// center and a lower bound on the distance to any other; a row whose bounds prove its center is
// still nearest skips the k distance computations. The result is the same as plain Lloyd (up to
// exact distance ties); only the work changes.
//
// Why not ml-kmeans' loop: measured on 1,000,000 x 30 Gaussian blobs, k=23, same initial centers
// (2 shared cores): ml-kmeans took 369 s for 267 iterations (1.4 s each, plus 3.7 s to build the
// number[][] it needs) at 830 MB peak RSS; this loop took 53 s for 261 iterations at 383 MB, the
// 240 MB matrix included. ml-kmeans wants 1M small arrays and calls a distance callback per pair
// every iteration; this loop reads the flat array in place and, after the first iterations, touches
// only rows near a cluster boundary. ml-kmeans stays as the reference in test/cluster/kmeans.test.ts.
//
// Stopping follows scikit-learn's lloyd: stop when no row changes cluster ("strict" convergence)
// or when the summed squared center shift is <= `tolerance` (absolute; kmeans.ts scales it by the
// data's variance as sklearn does), or after `maxIterations`. Unless strict, a last assignment step
// makes the labels agree with the returned centers, as sklearn does.
//
// Empty clusters are re-seeded as sklearn does: each takes the row farthest from its current center
// (ties: the lowest row index), and that row leaves its old cluster's mean.
//
// Speed (measured on 1,000,000 x 30 Gaussian blobs, k=23, 37 iterations, 2 shared cores; was 8.4 s
// CPU single-threaded, now ~4.8 s CPU on one thread and ~3.4 s wall on two; bench/kmeans.bench.ts):
// - Center sums are kept across iterations and updated only for the rows that changed cluster
//   (O(moved) instead of a 30M-add pass per iteration, which was ~20% of the time). The sums then
//   differ from a fresh pass in the last bits only; assignments and iterations stay the same.
// - A row that fails Hamerly's test is rescanned measuring only the centers the triangle inequality
//   cannot rule out, and on large inputs (rows x k x cols >= POOL_MIN_WORK) with Elkan-style
//   per-center lower bounds too (lloyd-kernels.ts stepRange, Float32, rows x k x 4 bytes): 26M
//   distance computations instead of 102M there, while the new lower bound stays the exact
//   second-nearest distance, so no more rows fail the test than before (4.4M rescans either way).
//   Below that size they saved nothing measurable (the analysis feature matrices, 100,000 x 30
//   blobs) and their memory cost more than they saved (see scratch.ts on first-touch costs).
// - The first assignment measures each row against the center of the row before it first and then
//   only the centers the triangle inequality cannot rule out (lloyd-kernels.ts fullRange): ~5x
//   fewer distances on the sds-window matrix than a full scan.
// - Rows x k x cols >= POOL_MIN_WORK are split with one helper worker thread over shared memory
//   (lloyd-pool.ts); below it, starting a thread and copying rows costs more than it saves. Peak
//   memory grows by the helper's copy of half the matrix (none if the matrix is already shared).
// - The bounds follow the centers in the same pass as the assignment test, and the last assignment
//   (when not strict) is one more bounded step instead of a full scan.
// - Small inputs are dominated by fixed costs: per-row arrays are reused between calls (scratch.ts),
//   and every pass over the rows is a function called per 8192-row chunk, so V8 optimizes it whole
//   early instead of loop by loop (see iterate()). bench/kmeans-features.bench.ts measures this
//   against scikit-learn on the analysis matrices.
import { availableParallelism } from 'node:os';

import { CMD_FULL, CMD_INERTIA, CMD_STEP, runRange, sqd1, type LloydState } from './lloyd-kernels.ts';
import { CHUNK, LloydPool, sharedF32, sharedF64, sharedI32 } from './lloyd-pool.ts';
import { scratchF64, scratchI32 } from './scratch.ts';

export type LloydResult = {
  assignments: Int32Array;
  centers: Float64Array;
  inertia: number;
  iterations: number;
};

/** rows x k x cols at or above which a helper thread pays for itself. Measured: at 1M x 30 k=5 (3
 * iterations) and 100k x 30 k=5 or 23 it made no gain or a loss; at 1M x 30 k=23 it cut ~5.3 s to ~3.4 s. */
export const POOL_MIN_WORK = 200_000_000;

/** Largest per-center bounds array kept by default (bytes). */
export const PER_CENTER_MAX_BYTES = 128 * 1024 * 1024;

export type LloydOptions = {
  /** 1 or 2; by default 2 when the machine has 2 cores or more and rows x k x cols >= POOL_MIN_WORK. */
  threads?: number;
  /** Keep Elkan's per-center bounds (rows x k x 4 bytes); by default when rows x k x cols >= POOL_MIN_WORK
   *  and they take at most PER_CENTER_MAX_BYTES. */
  perCenterBounds?: boolean;
};

/** Lloyd from `initialCenters` (k x cols). The result does not depend on `options`, only the work does. */
export function lloyd(
  matrix: Float64Array,
  rows: number,
  cols: number,
  initialCenters: Float64Array,
  k: number,
  maxIterations: number,
  tolerance: number,
  options: LloydOptions = {},
): LloydResult {
  const large = rows * k * cols >= POOL_MIN_WORK;
  const pooled = (options.threads ?? (large && availableParallelism() >= 2 ? 2 : 1)) >= 2 && rows > 1;
  // Per-center bounds cost rows x k x 4 bytes: above PER_CENTER_MAX_BYTES (a 20M-packet capture's
  // sds-window rows) they would be the analysis' largest array, so Hamerly's two bounds do alone.
  const perCenter = options.perCenterBounds ?? (large && rows * k * 4 <= PER_CENTER_MAX_BYTES);
  // Shared memory when the helper thread reads it too; per-row arrays otherwise come from the kept
  // working arrays (scratch.ts), whose pages are already touched.
  const f64 = pooled ? sharedF64 : (n: number) => new Float64Array(n);
  const rowF64 = (name: string) => (pooled ? sharedF64(rows) : scratchF64(`lloyd.${name}`, rows));
  const rowI32 = (name: string) => (pooled ? sharedI32(rows) : scratchI32(`lloyd.${name}`, rows));
  const state: LloydState = {
    mat: matrix, base: 0, cols, k,
    centers: f64(k * cols), assignments: rowI32('assignments'), upper: rowF64('upper'), lower: rowF64('lower'), second: rowI32('second'),
    movedFrom: rowI32('movedFrom').fill(-1), shift: f64(k), halfGap: f64(k), cc: f64(k * k),
    bounds: !perCenter ? new Float32Array(0) : pooled ? sharedF32(rows * k) : new Float32Array(rows * k), cumShift: f64(k), scalars: f64(3),
  };
  let pool: LloydPool | null = null;
  try {
    if (pooled) pool = new LloydPool(state, rows);
    const run = (cmd: number, centers: Float64Array) => {
      state.centers.set(centers);
      if (pool) pool.run(cmd);
      // In chunks, as the helper's share is: a kernel called many times is optimized whole by V8,
      // one called once per pass only loop by loop and thrown out again at the next input
      // (measured: the first assignment of a second matrix took 2-3x its time).
      else for (let from = 0; from < rows; from += CHUNK) runRange(cmd, state, from, Math.min(rows, from + CHUNK));
    };
    return iterate(state, rows, initialCenters, maxIterations, tolerance, run);
  } finally {
    pool?.close();
  }
}

function iterate(
  state: LloydState,
  rows: number,
  initialCenters: Float64Array,
  maxIterations: number,
  tolerance: number,
  run: (cmd: number, centers: Float64Array) => void,
): LloydResult {
  const { mat: matrix, cols, k, assignments, movedFrom, shift } = state;
  let centers: Float64Array = initialCenters.slice(0, k * cols);

  // Iteration 1: a full assignment sets the bounds; the sums start from one pass over the rows.
  prepareStep(state, centers); // center-center distances for the first assignment's triangle test
  run(CMD_FULL, centers);
  let iterations = 1;
  const sums = new Float64Array(k * cols);
  const counts = new Float64Array(k);
  addRows(matrix, rows, cols, assignments, sums, counts);
  let previous: Float64Array = centers;
  centers = means(matrix, rows, cols, assignments, previous, k, sums, counts);
  let strict = false;

  while (true) {
    const moved = centerShifts(previous, centers, k, cols, shift);
    if (moved <= tolerance || iterations >= maxIterations) break;
    prepareStep(state, centers);
    run(CMD_STEP, centers);
    iterations++;
    if (applyMoves(matrix, rows, cols, assignments, movedFrom, sums, counts) === 0) {
      strict = true;
      break;
    }
    previous = centers;
    centers = means(matrix, rows, cols, assignments, previous, k, sums, counts);
  }

  // Unless strict, the labels must follow the last centers: one more bounded step (the bounds
  // already account for every center shift but the last, which prepareStep adds).
  if (!strict) {
    prepareStep(state, centers);
    run(CMD_STEP, centers);
  }
  run(CMD_INERTIA, centers);
  return { assignments: assignments.slice(), centers, inertia: total(state.lower, rows), iterations };
}

// The passes over all rows are functions of their own: inside iterate() V8 compiled each loop on the
// fly and dropped back to the interpreter at the next one (measured ~30 ms of 100 on 172,579 rows).

/** Adds every row to its cluster's sum and count. */
function addRows(matrix: Float64Array, rows: number, cols: number, assignments: Int32Array, sums: Float64Array, counts: Float64Array): void {
  for (let i = 0; i < rows; i++) {
    const a = assignments[i];
    counts[a]++;
    const o = i * cols;
    const s = a * cols;
    for (let c = 0; c < cols; c++) sums[s + c] += matrix[o + c];
  }
}

/**
 * Moves each row that changed cluster (movedFrom[i] >= 0) between the sums, in row order so the sums
 * never depend on the thread split, and clears movedFrom. Returns how many rows moved.
 */
function applyMoves(
  matrix: Float64Array, rows: number, cols: number, assignments: Int32Array, movedFrom: Int32Array, sums: Float64Array, counts: Float64Array,
): number {
  let changed = 0;
  for (let i = 0; i < rows; i++) {
    const from = movedFrom[i];
    if (from < 0) continue;
    movedFrom[i] = -1;
    changed++;
    const to = assignments[i];
    counts[from]--;
    counts[to]++;
    const o = i * cols;
    const f = from * cols;
    const t = to * cols;
    for (let c = 0; c < cols; c++) {
      sums[f + c] -= matrix[o + c];
      sums[t + c] += matrix[o + c];
    }
  }
  return changed;
}

function total(values: Float64Array, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[i];
  return sum;
}

/** Per-step inputs: largest shifts, cumulative shifts, center-center distances. */
function prepareStep(state: LloydState, centers: Float64Array): void {
  const { k, cols, shift, halfGap, cc, cumShift, scalars } = state;
  let max1 = 0;
  let max2 = 0;
  let argMax = -1;
  for (let j = 0; j < k; j++) {
    cumShift[j] += shift[j];
    if (shift[j] > max1) { max2 = max1; max1 = shift[j]; argMax = j; }
    else if (shift[j] > max2) max2 = shift[j];
  }
  scalars[0] = max1;
  scalars[1] = max2;
  scalars[2] = argMax;
  // halfGap[j]: half the distance from center j to its nearest other center.
  halfGap.fill(Infinity);
  for (let a = 0; a < k; a++) {
    cc[a * k + a] = 0;
    for (let b = a + 1; b < k; b++) {
      const d = Math.sqrt(sqd1(centers, a * cols, centers, b * cols, cols));
      cc[a * k + b] = d;
      cc[b * k + a] = d;
      if (d / 2 < halfGap[a]) halfGap[a] = d / 2;
      if (d / 2 < halfGap[b]) halfGap[b] = d / 2;
    }
  }
}

/**
 * New centers as sums / counts (the running sums by assignment); empty clusters re-seeded (see the
 * file comment) on a copy, so the running sums keep following the assignments.
 */
function means(
  matrix: Float64Array,
  rows: number,
  cols: number,
  assignments: Int32Array,
  previous: Float64Array,
  k: number,
  runningSums: Float64Array,
  runningCounts: Float64Array,
): Float64Array {
  let sums = runningSums;
  let counts = runningCounts;
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (counts[j] === 0) empty.push(j);
  if (empty.length > 0) {
    sums = runningSums.slice();
    counts = runningCounts.slice();
    const taken = new Set<number>();
    for (const j of empty) {
      let far = -1;
      let farDist = -1;
      for (let i = 0; i < rows; i++) {
        if (taken.has(i) || counts[assignments[i]] <= 1) continue;
        const d = sqd1(matrix, i * cols, previous, assignments[i] * cols, cols);
        if (d > farDist) { farDist = d; far = i; }
      }
      if (far < 0) continue; // nothing to move: keep the previous center
      taken.add(far);
      const from = assignments[far];
      counts[from]--;
      counts[j] = 1;
      for (let c = 0; c < cols; c++) {
        sums[from * cols + c] -= matrix[far * cols + c];
        sums[j * cols + c] = matrix[far * cols + c];
      }
    }
  }
  const out = new Float64Array(k * cols);
  for (let j = 0; j < k; j++) {
    for (let c = 0; c < cols; c++) out[j * cols + c] = counts[j] > 0 ? sums[j * cols + c] / counts[j] : previous[j * cols + c];
  }
  return out;
}

/** Per-center shift (Euclidean) into `shift`; returns the summed squared shift. */
function centerShifts(previous: Float64Array, centers: Float64Array, k: number, cols: number, shift: Float64Array): number {
  let total = 0;
  for (let j = 0; j < k; j++) {
    const d = sqd1(previous, j * cols, centers, j * cols, cols);
    shift[j] = Math.sqrt(d);
    total += d;
  }
  return total;
}
