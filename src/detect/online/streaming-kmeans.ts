// Streaming k-means with forgetting, as Spark MLlib's StreamingKMeansModel.update defines it
// (mllib/clustering/StreamingKMeans.scala): per batch, every cluster's weight is discounted by
// the decay factor a, then each cluster j that got m points with mean x becomes
//   c' = (c n a + x m) / (n a + m),   n' = n a + m
// (the same as c' = (1 - lambda) c + lambda x with lambda = m / (n a + m)). A half-life of h
// batches is a = exp(ln 0.5 / h). When the lightest cluster weighs under 1e-8 of the heaviest it is
// dying: the heaviest is split in two, both at half their summed weight, nudged apart by 1e-14.

export interface StreamingKMeansModel {
  readonly k: number;
  readonly dim: number;
  /** k x dim, row-major; updated in place. */
  readonly centers: Float64Array;
  readonly weights: Float64Array;
}

/** Spark's setHalfLife(h, "batches"): the decay factor that halves a weight in h batches. */
export function decayFactorForHalfLife(halfLife: number): number {
  return Math.exp(Math.log(0.5) / halfLife);
}

/** Index of the centre nearest to row `r` of `x` (squared Euclidean distance) and that distance. */
export function nearestCenter(model: StreamingKMeansModel, x: Float64Array, r: number): { index: number; sqd: number } {
  const { k, dim, centers } = model;
  let best = Infinity;
  let index = 0;
  for (let j = 0; j < k; j++) {
    let sum = 0;
    for (let c = 0; c < dim; c++) {
      const d = x[r * dim + c] - centers[j * dim + c];
      sum += d * d;
    }
    if (sum < best) {
      best = sum;
      index = j;
    }
  }
  return { index, sqd: best };
}

/** One batch of `rows` points (row-major in `x`), with decay factor `a`; updates the model in place. */
export function updateStreamingKMeans(model: StreamingKMeansModel, x: Float64Array, rows: number, a: number): void {
  const { k, dim, centers, weights } = model;
  const sums = new Float64Array(k * dim);
  const counts = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    const j = nearestCenter(model, x, r).index;
    counts[j]++;
    for (let c = 0; c < dim; c++) sums[j * dim + c] += x[r * dim + c];
  }
  for (let j = 0; j < k; j++) weights[j] *= a;
  for (let j = 0; j < k; j++) {
    if (counts[j] === 0) continue;
    const updated = weights[j] + counts[j];
    const lambda = counts[j] / Math.max(updated, 1e-16);
    weights[j] = updated;
    for (let c = 0; c < dim; c++) centers[j * dim + c] = (1 - lambda) * centers[j * dim + c] + (lambda / counts[j]) * sums[j * dim + c];
  }
  let largest = 0;
  let smallest = 0;
  for (let j = 1; j < k; j++) {
    if (weights[j] > weights[largest]) largest = j;
    if (weights[j] < weights[smallest]) smallest = j;
  }
  if (k > 1 && weights[smallest] < 1e-8 * weights[largest]) {
    const weight = (weights[largest] + weights[smallest]) / 2;
    weights[largest] = weight;
    weights[smallest] = weight;
    for (let c = 0; c < dim; c++) {
      const v = centers[largest * dim + c];
      const p = 1e-14 * Math.max(Math.abs(v), 1);
      centers[largest * dim + c] = v + p;
      centers[smallest * dim + c] = v - p;
    }
  }
}
