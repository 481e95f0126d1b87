// Row sampling for clustering, drawn from scanlab's seeded PRNG.

/** `count` distinct row indexes out of `rows`, ascending (partial Fisher-Yates). */
export function sampleRows(rows: number, count: number, random: () => number): Int32Array {
  if (count >= rows) return Int32Array.from({ length: rows }, (_, i) => i);
  const index = new Int32Array(rows);
  for (let i = 0; i < rows; i++) index[i] = i;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (rows - i));
    const t = index[i];
    index[i] = index[j];
    index[j] = t;
  }
  return index.slice(0, count).sort();
}

/** The given rows of a row-major matrix, as a new matrix. */
export function gatherRows(matrix: Float64Array, cols: number, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length * cols);
  for (let r = 0; r < rows.length; r++) out.set(matrix.subarray(rows[r] * cols, rows[r] * cols + cols), r * cols);
  return out;
}
