// Silhouette coefficient as sklearn.metrics.silhouette_score (Euclidean): per row
// s = (b - a) / max(a, b), a = mean distance to the rest of its cluster, b = lowest mean distance to
// another cluster; 0 for a row alone in its cluster. O(n^2): callers pass a sample.

/** Pairwise Euclidean distances, n x n, row-major. */
export function pairwiseDistances(matrix: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * rows);
  for (let i = 0; i < rows; i++) {
    for (let j = i + 1; j < rows; j++) {
      let sum = 0;
      for (let c = 0; c < cols; c++) {
        const d = matrix[i * cols + c] - matrix[j * cols + c];
        sum += d * d;
      }
      out[i * rows + j] = out[j * rows + i] = Math.sqrt(sum);
    }
  }
  return out;
}

/**
 * Mean silhouette of `labels` (ids 0..k-1) given precomputed distances. sklearn refuses fewer than 2
 * or more than n - 1 distinct labels; this returns NaN for those instead.
 */
export function silhouetteScore(distances: Float64Array, labels: Int32Array): number {
  const n = labels.length;
  let k = 0;
  for (let i = 0; i < n; i++) if (labels[i] + 1 > k) k = labels[i] + 1;
  const sizes = new Float64Array(k);
  for (let i = 0; i < n; i++) sizes[labels[i]]++;
  let used = 0;
  for (let j = 0; j < k; j++) if (sizes[j] > 0) used++;
  if (used < 2 || used > n - 1) return NaN;
  const perCluster = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    perCluster.fill(0);
    for (let j = 0; j < n; j++) perCluster[labels[j]] += distances[i * n + j];
    const own = labels[i];
    if (sizes[own] <= 1) continue;
    const a = perCluster[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let j = 0; j < k; j++) if (j !== own && sizes[j] > 0 && perCluster[j] / sizes[j] < b) b = perCluster[j] / sizes[j];
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / n;
}
