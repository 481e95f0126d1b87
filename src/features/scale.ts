// Column scalers over a row-major matrix, as scikit-learn defines them: StandardScaler
// (population standard deviation; a constant column becomes 0) and MinMaxScaler (a constant
// column becomes 0).

/** In place: (x - mean) / std for column `col`; std 0 leaves x - mean (= 0). */
export function standardizeColumn(matrix: Float64Array, rows: number, cols: number, col: number): void {
  if (rows === 0) return;
  let mean = 0;
  for (let r = 0; r < rows; r++) mean += matrix[r * cols + col];
  mean /= rows;
  let variance = 0;
  for (let r = 0; r < rows; r++) {
    const d = matrix[r * cols + col] - mean;
    variance += d * d;
  }
  const std = Math.sqrt(variance / rows);
  const scale = std === 0 ? 1 : std;
  for (let r = 0; r < rows; r++) matrix[r * cols + col] = (matrix[r * cols + col] - mean) / scale;
}

/** In place: (x - min) / (max - min) for column `col`; a constant column becomes 0. */
export function minMaxColumn(matrix: Float64Array, rows: number, cols: number, col: number): void {
  if (rows === 0) return;
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < rows; r++) {
    const v = matrix[r * cols + col];
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min === 0 ? 1 : max - min;
  for (let r = 0; r < rows; r++) matrix[r * cols + col] = (matrix[r * cols + col] - min) / range;
}

/** In place: log(1 + x) for column `col` (x >= 0). */
export function log1pColumn(matrix: Float64Array, rows: number, cols: number, col: number): void {
  for (let r = 0; r < rows; r++) matrix[r * cols + col] = Math.log1p(matrix[r * cols + col]);
}
