// `--k auto`: pick k by the silhouette coefficient.
// Rule: cluster the full matrix once per candidate k (same seed), score the silhouette on one seeded
// sample of at most 2,000 rows (the same rows for every candidate), and take the k with the highest
// score; ties go to the smaller k. A candidate whose clustering gives the sample fewer than 2
// clusters (or one cluster per row) has no silhouette and is never chosen unless nothing else scores.
import { kmeans } from './kmeans.ts';
import { gatherRows, sampleRows } from './random.ts';
import { seededRandom } from '../util/seeded-random.ts';
import { pairwiseDistances, silhouetteScore } from './silhouette.ts';

export const SILHOUETTE_SAMPLE_MAX = 2000;

export type ChooseKOptions = { candidates: readonly number[]; seed: number; sample?: number };
export type ChooseKResult = { k: number; scores: { k: number; clusters: number; silhouette: number }[] };

export function chooseK(matrix: Float64Array, rows: number, cols: number, opts: ChooseKOptions): ChooseKResult {
  if (opts.candidates.length === 0) throw new RangeError('chooseK: candidates must name at least one k, got []');
  const size = Math.min(rows, opts.sample ?? SILHOUETTE_SAMPLE_MAX, SILHOUETTE_SAMPLE_MAX);
  // A stream apart from kmeans' own, so the sample does not depend on the candidates.
  const picked = sampleRows(rows, size, seededRandom(opts.seed ^ 0x5eed5a3d));
  const distances = pairwiseDistances(gatherRows(matrix, cols, picked), size, cols);
  const labels = new Int32Array(size);

  const candidates = [...new Set(opts.candidates)].sort((a, b) => a - b);
  const scores = candidates.map((k) => {
    const result = kmeans(matrix, rows, cols, { k, seed: opts.seed });
    for (let s = 0; s < size; s++) labels[s] = result.assignments[picked[s]];
    return { k, clusters: result.k, silhouette: silhouetteScore(distances, labels) };
  });
  let best = scores[0];
  for (const s of scores) {
    if (Number.isNaN(best.silhouette) || s.silhouette > best.silhouette) best = s;
  }
  return { k: best.k, scores };
}
