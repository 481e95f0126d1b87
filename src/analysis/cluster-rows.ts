// k for a feature set (its default, the user's number, or 'auto') and the clustering itself,
// through src/cluster. 'auto' is chooseK's rule: the best silhouette on a seeded sample among
// the candidates (autoCandidates).
import { kmeans, chooseK, type KMeansResult } from '../cluster/kmeans.ts';
import type { FeatureMatrix } from '../features/feature-set.ts';

export type KChoice = number | 'auto';

/** Candidates for --k auto: 2..12 and the feature set's own default. */
export function autoCandidates(defaultK: number): number[] {
  const out = new Set<number>([2, 3, 4, 5, 6, 8, 10, 12, defaultK]);
  return [...out].sort((a, b) => a - b);
}

export interface RowClustering extends KMeansResult {
  /** Silhouette per candidate when k was chosen automatically. */
  kScores?: { k: number; silhouette: number }[];
}

export function clusterRows(features: FeatureMatrix, k: KChoice, defaultK: number, seed: number): RowClustering {
  if (k !== 'auto') return kmeans(features.matrix, features.rows, features.cols, { k, seed });
  const candidates = autoCandidates(defaultK).filter((c) => c <= Math.max(2, features.rows));
  const picked = chooseK(features.matrix, features.rows, features.cols, { candidates, seed });
  const result = kmeans(features.matrix, features.rows, features.cols, { k: picked.k, seed });
  return { ...result, kScores: picked.scores.map((s) => ({ k: s.k, silhouette: s.silhouette })) };
}
