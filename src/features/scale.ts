// Column scalers over a row-major matrix, as scikit-learn defines them: StandardScaler
// (population standard deviation; a constant column scales by 1) and MinMaxScaler (a constant
// column scales by 1), fitted on chosen rows and applied to any.

/** How a feature set scales a column: scikit-learn's StandardScaler, MinMaxScaler, or as it is. */
export type ColumnScaling = 'standard' | 'minmax' | 'none';

/** A fitted per-column affine map x -> (x - offset) / scale. */
export interface Scaler {
  readonly offset: Float64Array;
  readonly scale: Float64Array;
}

/**
 * Fits each column's scaler on the rows `fitRows` names (all rows when left out), with the same
 * arithmetic as standardizeColumn and minMaxColumn, so fitting on every row and applying gives
 * the same numbers bit for bit. `minScale` (default 0: scikit-learn's rule, a zero spread scales
 * by 1) puts a floor under a column's spread, for a detector that must not call a tiny wobble in a
 * column that hardly moved during training an anomaly.
 */
export function fitScaler(matrix: Float64Array, cols: number, scaling: readonly ColumnScaling[], fitRows: ArrayLike<number>, minScale = 0): Scaler {
  const offset = new Float64Array(cols);
  const scale = new Float64Array(cols).fill(1);
  const n = fitRows.length;
  if (n === 0) return { offset, scale };
  for (let col = 0; col < cols; col++) {
    if (scaling[col] === 'standard') {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += matrix[fitRows[i] * cols + col];
      mean /= n;
      let variance = 0;
      for (let i = 0; i < n; i++) {
        const d = matrix[fitRows[i] * cols + col] - mean;
        variance += d * d;
      }
      const std = Math.sqrt(variance / n);
      offset[col] = mean;
      scale[col] = Math.max(std === 0 ? 1 : std, minScale);
    } else if (scaling[col] === 'minmax') {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < n; i++) {
        const v = matrix[fitRows[i] * cols + col];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      offset[col] = min;
      scale[col] = Math.max(max - min === 0 ? 1 : max - min, minScale);
    }
  }
  return { offset, scale };
}

/** In place: every row through the scaler. */
export function applyScaler(matrix: Float64Array, rows: number, cols: number, scaler: Scaler): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let col = 0; col < cols; col++) matrix[o + col] = (matrix[o + col] - scaler.offset[col]) / scaler.scale[col];
  }
}

/** 0, 1, ..., rows - 1: every row, for fitScaler. */
export function allRows(rows: number): Int32Array {
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = r;
  return out;
}
