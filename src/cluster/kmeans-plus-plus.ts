// Greedy k-means++ seeding as scikit-learn does it (Arthur & Vassilvitskii 2007; sklearn's
// _kmeans_plusplus): each new center is the best of 2 + floor(ln k) candidates drawn with
// probability proportional to D(x)^2, "best" meaning the lowest resulting potential.

/**
 * Picks up to `k` initial centers from the rows of `matrix`. Stops early when every row already
 * sits on a chosen center (zero potential), so k above the number of distinct rows yields fewer
 * centers, never duplicates. Returns the centers, row-major, `count` x `cols`.
 */
export function kmeansPlusPlus(
  matrix: Float64Array,
  rows: number,
  cols: number,
  k: number,
  random: () => number,
): { centers: Float64Array; count: number } {
  if (rows === 0 || k <= 0) return { centers: new Float64Array(0), count: 0 };
  const trials = 2 + Math.floor(Math.log(k));
  const centers = new Float64Array(k * cols);
  const closest = new Float64Array(rows);
  const candidateDist = Array.from({ length: trials }, () => new Float64Array(rows));
  const cumulative = new Float64Array(rows);

  const first = Math.min(rows - 1, Math.floor(random() * rows));
  centers.set(matrix.subarray(first * cols, first * cols + cols), 0);
  let potential = 0;
  for (let i = 0; i < rows; i++) {
    closest[i] = squaredDistance(matrix, i * cols, matrix, first * cols, cols);
    potential += closest[i];
  }

  let count = 1;
  for (; count < k; count++) {
    if (!(potential > 0)) break;
    let running = 0;
    for (let i = 0; i < rows; i++) cumulative[i] = running += closest[i];
    const candidates: number[] = [];
    for (let t = 0; t < trials; t++) {
      // (0, potential], so the draw never lands on a row with D(x) = 0, i.e. an existing center.
      const target = (1 - random()) * running;
      candidates.push(Math.min(rows - 1, lowerBound(cumulative, target)));
    }
    // One pass over the rows for all candidates keeps the matrix streaming through cache once.
    const pots = new Float64Array(trials);
    for (let i = 0; i < rows; i++) {
      const offset = i * cols;
      for (let t = 0; t < trials; t++) {
        const d = Math.min(closest[i], squaredDistance(matrix, offset, matrix, candidates[t] * cols, cols));
        candidateDist[t][i] = d;
        pots[t] += d;
      }
    }
    let best = 0;
    for (let t = 1; t < trials; t++) if (pots[t] < pots[best]) best = t;
    const row = candidates[best];
    centers.set(matrix.subarray(row * cols, row * cols + cols), count * cols);
    closest.set(candidateDist[best]);
    potential = pots[best];
  }
  return { centers: centers.slice(0, count * cols), count };
}

/** First index whose value is >= target (numpy.searchsorted, side='left'). */
function lowerBound(sorted: Float64Array, target: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function squaredDistance(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, cols: number): number {
  let sum = 0;
  for (let c = 0; c < cols; c++) {
    const diff = a[aOffset + c] - b[bOffset + c];
    sum += diff * diff;
  }
  return sum;
}
