// The per-row work of lloyd.ts, shared by the calling thread and its helper worker (lloyd-pool.ts).
// Each function here must stay self-contained (no imports, no closures, no inner functions): the
// worker runs their source text (Function.prototype.toString), so both threads execute the same
// arithmetic in the same order and the result does not depend on how the rows were split.
//
// Rows are addressed by global index i; `mat` holds rows from `base` on (row i at (i - base) * cols),
// so the worker can hold a copy of only the rows it may take.

/** Squared distance, one accumulator, summed in column order (k-means++ and the inertia use it). */
export function sqd1(a: Float64Array, ao: number, b: Float64Array, bo: number, cols: number): number {
  let sum = 0;
  for (let c = 0; c < cols; c++) {
    const diff = a[ao + c] - b[bo + c];
    sum += diff * diff;
  }
  return sum;
}

/**
 * Squared distance, two accumulators: the scans' distance (measured ~12% less CPU than one). An odd
 * last column is added through a select rather than a branch taken only for odd widths: a branch
 * first taken by a later matrix threw the optimized kernels out (V8 had no feedback for it).
 */
export function sqd2(a: Float64Array, ao: number, b: Float64Array, bo: number, cols: number): number {
  const last = cols - 1;
  let s0 = 0;
  let s1 = 0;
  let c = 0;
  for (; c < last; c += 2) {
    const e0 = a[ao + c] - b[bo + c];
    const e1 = a[ao + c + 1] - b[bo + c + 1];
    s0 += e0 * e0;
    s1 += e1 * e1;
  }
  const e = a[ao + last] - b[bo + last];
  const ee = e * e; // computed for every width, so V8 has its feedback whatever the first width
  return s0 + s1 + (c === last ? ee : 0);
}

/**
 * First assignment of rows [from, to): nearest center (lowest index on ties), upper = its distance,
 * lower = the second-nearest's, as a scan of every center gives, but measuring only the centers
 * that could be nearest or second: a row is measured first against the center of the row before it
 * (neighbouring rows are alike), then center j is skipped when the triangle inequality bounds its
 * distance below by more than the second-nearest found so far (cc[best][j] - d(x, best), needs
 * prepareStep's cc). Measured on a 172,579 x 14 matrix, k=23: ~5x fewer distances than a full scan.
 * With per-center bounds, every center's measured distance or that lower bound goes to `bounds`.
 * The guess restarts at every 8192nd row (lloyd-pool.ts' chunk), so the thread split changes nothing.
 */
export function fullRange(
  mat: Float64Array, base: number, cols: number, centers: Float64Array, k: number, cc: Float64Array,
  assignments: Int32Array, upper: Float64Array, lower: Float64Array, second: Int32Array, bounds: Float32Array, from: number, to: number,
): void {
  const keep = bounds.length > 0;
  let guess = 0;
  for (let i = from; i < to; i++) {
    if (i % 8192 === 0) guess = 0;
    const o = (i - base) * cols;
    const row = i * k;
    let best = guess;
    let dBest = sqd2(mat, o, centers, best * cols, cols);
    let uBest = Math.sqrt(dBest);
    if (keep) bounds[row + best] = uBest;
    let u2 = Infinity;
    let second2 = -1;
    for (let j = 0; j < k; j++) {
      if (j === guess) continue;
      const g = cc[best * k + j] - uBest;
      if (g > u2) {
        if (keep) bounds[row + j] = g;
        continue;
      }
      const d = sqd2(mat, o, centers, j * cols, cols);
      const dj = Math.sqrt(d);
      if (keep) bounds[row + j] = dj;
      if (d < dBest || (d === dBest && j < best)) {
        u2 = uBest;
        second2 = best;
        best = j;
        dBest = d;
        uBest = dj;
      } else if (dj < u2) {
        u2 = dj;
        second2 = j;
      }
    }
    assignments[i] = best;
    upper[i] = uBest;
    lower[i] = u2;
    second[i] = second2;
    guess = best;
  }
}

/**
 * One step over rows [from, to), Hamerly's bounds first, Elkan's per center second:
 *  - Move the row's bounds by the centers' shifts: its upper bound by its own center's shift, its
 *    lower bound (on the distance to any other center) by the largest shift of the others. A row
 *    whose upper bound is at most max(lower bound, half the gap to the nearest other center) keeps
 *    its center untouched; after the first iterations that is most rows.
 *  - Otherwise the row is rescanned for its nearest and second-nearest centers, measuring its own
 *    center and its last second-nearest first. Another center j is measured only if a lower bound on
 *    its distance is at most the second-nearest distance found so far: the per-center bound
 *    `bounds[i*k+j]` (stored as distance + cumShift[j] when last measured, so it needs no
 *    per-iteration update: the bound now is stored - cumShift[j] now) or the triangle inequality
 *    cc[best][j] - u. So the new lower bound is the exact second-nearest distance, as a full scan
 *    gives (a looser one, the least per-center bound, measured 3x more rescans), at a fraction of its
 *    distance computations.
 * The nearest center is the one a full scan in index order finds (ties: the lowest index).
 * A row that changes cluster gets its old cluster in movedFrom[i].
 * `bounds` is Float32 to halve its memory: a stored value may round up by 2^-24 relative, so it is
 * read times (1 - 2^-22), which keeps it a lower bound.
 */
export function stepRange(
  mat: Float64Array, base: number, cols: number, centers: Float64Array, k: number,
  assignments: Int32Array, upper: Float64Array, lower: Float64Array, second: Int32Array, movedFrom: Int32Array,
  shift: Float64Array, halfGap: Float64Array, cc: Float64Array, bounds: Float32Array, cumShift: Float64Array,
  max1: number, max2: number, argMax: number, from: number, to: number,
): void {
  const slack = 1 - 2 ** -22;
  const keep = bounds.length > 0;
  for (let i = from; i < to; i++) {
    const a = assignments[i];
    const up = upper[i] + shift[a];
    const lo = lower[i] - (a === argMax ? max2 : max1);
    const bound = halfGap[a] > lo ? halfGap[a] : lo;
    if (up <= bound) { upper[i] = up; lower[i] = lo; continue; }
    const o = (i - base) * cols;
    let dBest = sqd2(mat, o, centers, a * cols, cols);
    let uBest = Math.sqrt(dBest);
    if (uBest <= bound) { upper[i] = uBest; lower[i] = lo; continue; }
    const row = i * k;
    let best = a;
    const last = second[i];
    let u2 = Infinity;
    let second2 = -1;
    for (let t = -1; t < k; t++) {
      // t = -1: the last second-nearest center; then every other center in index order.
      const j = t < 0 ? last : t;
      if (j < 0 || j === a || (t >= 0 && j === last)) continue;
      let lb = keep ? bounds[row + j] * slack - cumShift[j] : 0;
      const g = cc[best * k + j] - uBest;
      if (g > lb) lb = g;
      if (lb > u2) continue;
      const d = sqd2(mat, o, centers, j * cols, cols);
      const dj = Math.sqrt(d);
      if (keep) bounds[row + j] = dj + cumShift[j];
      if (d < dBest || (d === dBest && j < best)) {
        if (keep) bounds[row + best] = uBest + cumShift[best];
        u2 = uBest;
        second2 = best;
        best = j;
        dBest = d;
        uBest = dj;
      } else if (dj < u2) {
        u2 = dj;
        second2 = j;
      }
    }
    assignments[i] = best;
    upper[i] = uBest;
    lower[i] = u2;
    second[i] = second2;
    if (best !== a) movedFrom[i] = a;
  }
}

/** out[i] = squared distance of row i to its center, for rows [from, to). */
export function inertiaRange(
  mat: Float64Array, base: number, cols: number, centers: Float64Array,
  assignments: Int32Array, out: Float64Array, from: number, to: number,
): void {
  for (let i = from; i < to; i++) out[i] = sqd1(mat, (i - base) * cols, centers, assignments[i] * cols, cols);
}

/** What one thread sees: the views it works on (shared memory when a worker helps). */
export type LloydState = {
  mat: Float64Array;
  base: number;
  cols: number;
  k: number;
  centers: Float64Array;
  assignments: Int32Array;
  upper: Float64Array;
  lower: Float64Array;
  /** Per row, its second-nearest center when last scanned. */
  second: Int32Array;
  movedFrom: Int32Array;
  shift: Float64Array;
  halfGap: Float64Array;
  cc: Float64Array;
  /** rows x k per-center lower bounds (see stepRange). */
  bounds: Float32Array;
  /** Per center, the sum of its shifts so far. */
  cumShift: Float64Array;
  /** [max1, max2, argMax] for stepRange. */
  scalars: Float64Array;
};

export const CMD_FULL = 1;
export const CMD_STEP = 2;
export const CMD_INERTIA = 3;

/** Runs command `cmd` on rows [from, to). Inertia goes to `lower` (no longer needed by then). */
export function runRange(cmd: number, s: LloydState, from: number, to: number): void {
  if (cmd === 1) fullRange(s.mat, s.base, s.cols, s.centers, s.k, s.cc, s.assignments, s.upper, s.lower, s.second, s.bounds, from, to);
  else if (cmd === 2) {
    stepRange(s.mat, s.base, s.cols, s.centers, s.k, s.assignments, s.upper, s.lower, s.second, s.movedFrom, s.shift, s.halfGap, s.cc, s.bounds, s.cumShift,
      s.scalars[0], s.scalars[1], s.scalars[2], from, to);
  } else if (cmd === 3) inertiaRange(s.mat, s.base, s.cols, s.centers, s.assignments, s.lower, from, to);
}
