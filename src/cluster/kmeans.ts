// k-means for feature matrices: seeded greedy k-means++ (kmeans-plus-plus.ts) then Lloyd iterations
// with Hamerly's and per-center bounds, on two threads for large inputs (lloyd.ts). Pure and
// deterministic: same matrix, options and seed give the same result, bit for bit.
import { kmeansPlusPlus } from './kmeans-plus-plus.ts';
import { lloyd } from './lloyd.ts';
import { sampleRows } from './random.ts';
import { seededRandom } from '../util/seeded-random.ts';

export type KMeansOptions = {
  /** Clusters wanted. Fewer come back when there are fewer rows or distinct rows than k. */
  k: number;
  seed: number;
  /** Upper bound on Lloyd iterations, counting the first assignment (sklearn's max_iter). Default 300. */
  maxIterations?: number;
  /** Relative tolerance as sklearn's `tol`: stop when the summed squared center shift is at most
   * tolerance x the mean per-column variance. Default 1e-4. */
  tolerance?: number;
  /** Seed k-means++ from this many rows drawn at random (seeded) instead of all rows: k-means++
   * costs k x (2 + ln k) passes over the rows it sees. Default 100,000; Infinity for all rows. */
  sampleForInit?: number;
};

export type KMeansResult = {
  /** Cluster of each row, 0..k-1. */
  assignments: Int32Array;
  /** Row-major, k x cols. */
  centers: Float64Array;
  /** Sum of squared distances of rows to their centers. */
  inertia: number;
  iterations: number;
  /** Clusters actually made (<= opts.k). */
  k: number;
};

export const KMEANS_DEFAULTS = { maxIterations: 300, tolerance: 1e-4, sampleForInit: 100_000 } as const;

export function kmeans(matrix: Float64Array, rows: number, cols: number, opts: KMeansOptions): KMeansResult {
  if (!Number.isInteger(opts.k) || opts.k < 1) throw new RangeError(`kmeans: k must be an integer >= 1, got ${String(opts.k)} (${typeof opts.k})`);
  if (matrix.length < rows * cols) throw new RangeError(`kmeans: matrix has ${matrix.length} values, expected rows x cols = ${rows * cols}`);
  const maxIterations = opts.maxIterations ?? KMEANS_DEFAULTS.maxIterations;
  const tolerance = opts.tolerance ?? KMEANS_DEFAULTS.tolerance;
  const sampleForInit = opts.sampleForInit ?? KMEANS_DEFAULTS.sampleForInit;
  if (rows === 0) return { assignments: new Int32Array(0), centers: new Float64Array(0), inertia: 0, iterations: 0, k: 0 };

  const init = initialCenters(matrix, rows, cols, { ...opts, sampleForInit });
  const result = lloyd(matrix, rows, cols, init.centers, init.count, Math.max(1, maxIterations), tolerance * meanVariance(matrix, rows, cols));
  return { ...result, k: init.count };
}

/** The seeded k-means++ centers `kmeans` starts from (exported for benchmarks and tests). */
export function initialCenters(
  matrix: Float64Array,
  rows: number,
  cols: number,
  opts: { k: number; seed: number; sampleForInit?: number },
): { centers: Float64Array; count: number } {
  const random = seededRandom(opts.seed);
  const k = Math.min(opts.k, rows);
  const sampleForInit = opts.sampleForInit ?? KMEANS_DEFAULTS.sampleForInit;
  if (rows > sampleForInit) {
    const sample = sampleRows(rows, Math.max(sampleForInit, k), random);
    return kmeansPlusPlus(matrix, rows, cols, k, random, sample);
  }
  return kmeansPlusPlus(matrix, rows, cols, k, random);
}

/** Mean over columns of each column's variance: sklearn's scale for `tol`. */
export function meanVariance(matrix: Float64Array, rows: number, cols: number): number {
  if (rows === 0 || cols === 0) return 0;
  const mean = columnSums(matrix, rows, cols);
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  return squaredDeviations(matrix, rows, cols, mean) / rows / cols;
}

// Each pass over the rows is a function with one loop nest: V8 optimizes a long-running function
// loop by loop, and drops back to the interpreter at code after the loop it compiled.
function columnSums(matrix: Float64Array, rows: number, cols: number): Float64Array {
  const sums = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let c = 0; c < cols; c++) sums[c] += matrix[i * cols + c];
  return sums;
}

function squaredDeviations(matrix: Float64Array, rows: number, cols: number, mean: Float64Array): number {
  let total = 0;
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < cols; c++) {
      const d = matrix[i * cols + c] - mean[c];
      total += d * d;
    }
  }
  return total;
}

// `--k auto` lives in choose-k.ts; re-exported so callers find it beside kmeans.
export { chooseK } from './choose-k.ts';
