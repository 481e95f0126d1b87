// k for a feature set (its default, the user's number, or 'auto') and the clustering itself,
// through src/cluster. 'auto' uses chooseK from src/cluster/kmeans.ts when that module offers it.
import * as kmeansModule from '../cluster/kmeans.ts';
import { kmeans, type KMeansResult } from '../cluster/kmeans.ts';
import { UserError } from '../errors.ts';
import type { FeatureMatrix } from '../features/feature-set.ts';

export type KChoice = number | 'auto';

type ChooseK = (
  matrix: Float64Array,
  rows: number,
  cols: number,
  options: { candidates: number[]; seed: number; sample: number },
) => { k: number } | number;

/** Candidates for --k auto: 2..12 and the feature set's own default. */
export function autoCandidates(defaultK: number): number[] {
  const out = new Set<number>([2, 3, 4, 5, 6, 8, 10, 12, defaultK]);
  return [...out].sort((a, b) => a - b);
}

export function clusterRows(features: FeatureMatrix, k: KChoice, defaultK: number, seed: number): KMeansResult {
  let chosen = k === 'auto' ? 0 : k;
  if (k === 'auto') {
    const chooseK = (kmeansModule as Record<string, unknown>).chooseK as ChooseK | undefined;
    if (!chooseK) throw new UserError('--k auto is not available in this build (src/cluster has no chooseK yet)', 'give --k N, or leave --k out for each feature set\'s default');
    const candidates = autoCandidates(defaultK).filter((c) => c <= Math.max(2, features.rows));
    const picked = chooseK(features.matrix, features.rows, features.cols, { candidates, seed, sample: 5000 });
    chosen = typeof picked === 'number' ? picked : picked.k;
  }
  return kmeans(features.matrix, features.rows, features.cols, { k: Math.max(1, chosen), seed });
}
