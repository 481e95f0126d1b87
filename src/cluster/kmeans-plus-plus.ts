// Greedy k-means++ seeding as scikit-learn does it (Arthur & Vassilvitskii 2007; sklearn's
// _kmeans_plusplus): each new center is the best of 2 + floor(ln k) candidates drawn with
// probability proportional to D(x)^2, "best" meaning the lowest resulting potential.
//
// Speed: a candidate can pull a row closer only if the candidate lies within twice the row's
// distance of the row's nearest chosen center c (triangle inequality: d(x, cand) >= d(cand, c) -
// d(x, c)). So each row remembers its nearest center, and a candidate's distance to a row is
// measured only when that test passes (the candidate-to-center distances are k x trials, cheap). The chosen centers are the
// same as measuring every row; measured on a 172,579 x 14 feature matrix, k=23: ~5x fewer distances.

import { sqd1 } from './lloyd-kernels.ts';
import { scratchF64, scratchI32 } from './scratch.ts';
import { lowerBound } from '../util/lower-bound.ts';

/** Largest trials x rows distance cache kmeansPlusPlus keeps (see there). */
const MEASURED_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Picks up to `k` initial centers from the rows of `matrix`, or from the rows `only` lists when
 * given (a sample, read in place: copying it costs more than reading through the index). Stops
 * early when every row already sits on a chosen center (zero potential), so k above the number of
 * distinct rows yields fewer centers, never duplicates. Returns the centers, row-major, `count` x `cols`.
 */
export function kmeansPlusPlus(
  matrix: Float64Array,
  rowCount: number,
  cols: number,
  k: number,
  random: () => number,
  only?: Int32Array,
): { centers: Float64Array; count: number } {
  const rows = only ? only.length : rowCount;
  if (rows === 0 || k <= 0) return { centers: new Float64Array(0), count: 0 };
  // Offset of the i-th row seen into `matrix`.
  const at = only ?? identity(rows);
  const trials = 2 + Math.floor(Math.log(k));
  const centers = new Float64Array(k * cols);
  // Per-row arrays from scratch.ts (kept between calls; every element is written before it is read).
  const closest = scratchF64('kpp.closest', rows);
  const nearest = scratchI32('kpp.nearest', rows); // index of the chosen center at `closest`
  const cumulative = scratchF64('kpp.cumulative', rows);
  // measured[t * rows + i]: row i's squared distance to candidate t, where candidateGains measured
  // it; adoptCandidate reads the chosen candidate's from here instead of measuring again. Past
  // MEASURED_MAX_BYTES it measures again instead (the same numbers): trials x rows of Float64 was
  // 130 MB for sds-window's 3.25M rows at 20M packets, the peak of that phase.
  const cached = trials * rows * Float64Array.BYTES_PER_ELEMENT <= MEASURED_MAX_BYTES;
  const measured = cached ? scratchF64('kpp.measured', trials * rows) : null;
  // centerGap[t * k + c]: squared distance from candidate t to chosen center c.
  const centerGap = new Float64Array(trials * k);
  // farthest[c]: the largest `closest` among the rows nearest to center c; reachable[c]: bit t set
  // when candidate t could pull some row of center c closer. Rows of a center no candidate can
  // reach are passed over with one test.
  const farthest = new Float64Array(k);
  const reachable = new Int32Array(k);

  // Each pass over the rows is a function of its own, called once per center: one function with
  // all the loops was compiled loop by loop on the fly and thrown back to the interpreter at every
  // next loop (measured: 3-4x slower on 100,000 rows).
  const first = at[Math.min(rows - 1, Math.floor(random() * rows))] * cols;
  centers.set(matrix.subarray(first, first + cols), 0);
  let potential = firstCenter(matrix, at, cols, first, closest, nearest, farthest, cumulative);

  let count = 1;
  for (; count < k; count++) {
    if (!(potential > 0)) break;
    const candidates = new Int32Array(trials); // offsets into `matrix`
    for (let t = 0; t < trials; t++) {
      // (0, potential], so the draw never lands on a row with D(x) = 0, i.e. an existing center.
      const target = (1 - random()) * potential;
      candidates[t] = at[Math.min(rows - 1, lowerBound(cumulative, target))] * cols;
      for (let c = 0; c < count; c++) centerGap[t * k + c] = sqd1(matrix, candidates[t], centers, c * cols, cols);
    }
    for (let c = 0; c < count; c++) {
      reachable[c] = 0;
      for (let t = 0; t < trials; t++) if (centerGap[t * k + c] < 4 * farthest[c]) reachable[c] |= 1 << t;
    }
    const gain = candidateGains(matrix, at, cols, closest, nearest, centerGap, k, candidates, reachable, measured);
    let best = 0;
    for (let t = 1; t < trials; t++) if (gain[t] > gain[best]) best = t;
    const row = candidates[best];
    centers.set(matrix.subarray(row, row + cols), count * cols);
    potential = adoptCandidate(matrix, at, cols, row, closest, nearest, centerGap, best * k, measured, best * rows, count, farthest, cumulative);
  }
  return { centers: centers.slice(0, count * cols), count };
}

/**
 * How much each candidate (an offset into `matrix`) would lower the potential. One pass over the
 * rows for all candidates keeps the matrix streaming through cache once; only rows a candidate
 * can pull closer are measured (see the file comment).
 */
function candidateGains(
  matrix: Float64Array, at: Int32Array, cols: number, closest: Float64Array, nearest: Int32Array,
  centerGap: Float64Array, k: number, candidates: Int32Array, reachable: Int32Array, measured: Float64Array | null,
): Float64Array {
  const trials = candidates.length;
  const rows = at.length;
  const gain = new Float64Array(trials);
  for (let i = 0; i < at.length; i++) {
    const c = nearest[i];
    const mask = reachable[c];
    if (mask === 0) continue;
    const own = closest[i];
    const reach = 4 * own; // (2 d(x, c))^2: a candidate at least this far from c is no nearer
    for (let t = 0; t < trials; t++) {
      if ((mask & (1 << t)) === 0 || centerGap[t * k + c] >= reach) continue;
      const d = sqd1(matrix, at[i] * cols, matrix, candidates[t], cols);
      if (measured) measured[t * rows + i] = d;
      if (d < own) gain[t] += own - d;
    }
  }
  return gain;
}

/** The first center, the row at offset `first`: every row's distance to it. Returns the potential. */
function firstCenter(
  matrix: Float64Array, at: Int32Array, cols: number, first: number,
  closest: Float64Array, nearest: Int32Array, farthest: Float64Array, cumulative: Float64Array,
): number {
  let potential = 0;
  farthest[0] = 0;
  for (let i = 0; i < at.length; i++) {
    const own = sqd1(matrix, at[i] * cols, matrix, first, cols);
    closest[i] = own;
    nearest[i] = 0;
    if (own > farthest[0]) farthest[0] = own;
    cumulative[i] = potential += own;
  }
  return potential;
}

/**
 * Makes the chosen candidate (offset `candidate` into `matrix`) center number `index`: every row
 * it is nearer to takes it as its nearest. gap[gapAt + c] is its squared distance to center c; a
 * row that passes the same test as in candidateGains was measured there, into known[knownAt + i],
 * or is measured again here when there is no `known`. Refreshes `farthest` for centers 0..index
 * and `cumulative` (running sums of `closest`, for the next draw); returns the new potential.
 */
function adoptCandidate(
  matrix: Float64Array, at: Int32Array, cols: number, candidate: number,
  closest: Float64Array, nearest: Int32Array, gap: Float64Array, gapAt: number, known: Float64Array | null, knownAt: number,
  index: number, farthest: Float64Array, cumulative: Float64Array,
): number {
  farthest.fill(0, 0, index + 1);
  let potential = 0;
  for (let i = 0; i < closest.length; i++) {
    let own = closest[i];
    if (gap[gapAt + nearest[i]] < 4 * own) {
      const d = known ? known[knownAt + i] : sqd1(matrix, at[i] * cols, matrix, candidate, cols);
      if (d < own) {
        closest[i] = own = d;
        nearest[i] = index;
      }
    }
    if (own > farthest[nearest[i]]) farthest[nearest[i]] = own;
    cumulative[i] = potential += own;
  }
  return potential;
}

function identity(rows: number): Int32Array {
  const out = scratchI32('kpp.identity', rows);
  for (let i = 0; i < rows; i++) out[i] = i;
  return out;
}

