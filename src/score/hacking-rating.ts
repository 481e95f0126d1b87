/**
 * The kaggle seed's 0-10 "hacking attempt" rating: the share of rows that fall in the flagged
 * clusters, times 10 (seed 000: `rating = (cluster_count[0] + cluster_count[1]) / len(df) * 10`).
 * Which clusters are flagged is the caller's choice; scanlab flags those the majority rule calls scan
 * (`scanClusterIds`). `flagged` holds indexes into `clusterSizes`; repeats count once, and indexes
 * out of range are ignored. No rows gives 0.
 */
export function hackingRating(clusterSizes: readonly number[], flagged: readonly number[]): number {
  let total = 0;
  for (const size of clusterSizes) total += size;
  if (total <= 0) return 0;
  let hit = 0;
  for (const j of new Set(flagged)) if (j >= 0 && j < clusterSizes.length) hit += clusterSizes[j];
  return (hit / total) * 10;
}
