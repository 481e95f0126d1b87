// 2-D PCA for report plots: the rows projected on the covariance matrix's two leading eigenvectors,
// found by power iteration (the covariance is only cols x cols) with deflation for the second.
// Signs are fixed so each component's largest-magnitude entry is positive: plots don't flip.

const MAX_ITERATIONS = 1000;
const EPSILON = 1e-12;

/** Rows projected on the first two principal components, row-major rows x 2. */
export function pca2(matrix: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * 2);
  if (rows === 0 || cols === 0) return out;
  const mean = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let c = 0; c < cols; c++) mean[c] += matrix[i * cols + c];
  for (let c = 0; c < cols; c++) mean[c] /= rows;

  const cov = new Float64Array(cols * cols);
  const centered = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    for (let c = 0; c < cols; c++) centered[c] = matrix[i * cols + c] - mean[c];
    for (let a = 0; a < cols; a++) {
      const x = centered[a];
      if (x === 0) continue;
      for (let b = a; b < cols; b++) cov[a * cols + b] += x * centered[b];
    }
  }
  for (let a = 0; a < cols; a++) for (let b = a; b < cols; b++) cov[b * cols + a] = cov[a * cols + b] /= Math.max(1, rows - 1);

  const first = leadingEigenvector(cov, cols);
  const lambda = rayleigh(cov, cols, first);
  for (let a = 0; a < cols; a++) for (let b = 0; b < cols; b++) cov[a * cols + b] -= lambda * first[a] * first[b];
  const second = leadingEigenvector(cov, cols);

  for (let i = 0; i < rows; i++) {
    let p = 0;
    let q = 0;
    for (let c = 0; c < cols; c++) {
      const x = matrix[i * cols + c] - mean[c];
      p += x * first[c];
      q += x * second[c];
    }
    out[i * 2] = p;
    out[i * 2 + 1] = q;
  }
  return out;
}

function leadingEigenvector(m: Float64Array, n: number): Float64Array {
  // A fixed, non-degenerate start so the result is deterministic.
  let v = Float64Array.from({ length: n }, (_, i) => 1 + ((i * 0.618034) % 1));
  normalize(v);
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    const w = new Float64Array(n);
    for (let a = 0; a < n; a++) {
      let s = 0;
      for (let b = 0; b < n; b++) s += m[a * n + b] * v[b];
      w[a] = s;
    }
    if (normalize(w) < EPSILON) return new Float64Array(n); // no variance left
    let change = 0;
    for (let a = 0; a < n; a++) change = Math.max(change, Math.abs(w[a] - v[a]));
    v = w;
    if (change < EPSILON) break;
  }
  let big = 0;
  for (let a = 1; a < n; a++) if (Math.abs(v[a]) > Math.abs(v[big])) big = a;
  if (v[big] < 0) for (let a = 0; a < n; a++) v[a] = -v[a];
  return v;
}

function rayleigh(m: Float64Array, n: number, v: Float64Array): number {
  let s = 0;
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) s += v[a] * m[a * n + b] * v[b];
  return s;
}

function normalize(v: Float64Array): number {
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return norm;
}

