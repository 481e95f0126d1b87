// Row sampling for clustering, drawn from scanlab's seeded PRNG.
import { scratchI32, scratchU8 } from './scratch.ts';

/** `count` distinct row indexes out of `rows`, ascending (partial Fisher-Yates). */
export function sampleRows(rows: number, count: number, random: () => number): Int32Array {
  const index = scratchI32('sample.index', rows);
  fillIdentity(index);
  if (count >= rows) return index.slice();
  shuffleFirst(index, count, random);
  // Ascending through a mark per row: sorting the picks took longer than picking them.
  const picked = scratchU8('sample.picked', rows).fill(0);
  return ascending(index, count, picked);
}

// One loop per function: V8 optimizes a long-running function loop by loop and drops back to the
// interpreter at code after the loop it compiled.
function fillIdentity(index: Int32Array): void {
  for (let i = 0; i < index.length; i++) index[i] = i;
}

function shuffleFirst(index: Int32Array, count: number, random: () => number): void {
  const rows = index.length;
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (rows - i));
    const t = index[i];
    index[i] = index[j];
    index[j] = t;
  }
}

/** index[0..count) in ascending order, through `picked` (one zeroed mark per row). */
function ascending(index: Int32Array, count: number, picked: Uint8Array): Int32Array {
  for (let i = 0; i < count; i++) picked[index[i]] = 1;
  const out = new Int32Array(count);
  for (let i = 0, n = 0; i < picked.length; i++) if (picked[i]) out[n++] = i;
  return out;
}

/** The given rows of a row-major matrix, as a new matrix. */
export function gatherRows(matrix: Float64Array, cols: number, rows: Int32Array): Float64Array {
  // A plain loop: a subarray per row costs an object each (measured ~1 us per row cold).
  const out = new Float64Array(rows.length * cols);
  for (let r = 0; r < rows.length; r++) {
    const from = rows[r] * cols;
    const to = r * cols;
    for (let c = 0; c < cols; c++) out[to + c] = matrix[from + c];
  }
  return out;
}
