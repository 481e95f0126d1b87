// The shape of an analysis: what analysis.json holds and `scanlab analyze --json` prints.
import type { Metrics } from '../score/metrics.ts';

export interface FeatureSetResult {
  rows: number;
  /** Clusters made (may be below the k asked for when there are fewer distinct rows). */
  k: number;
  kRequested: number | 'auto';
  /** With --k auto: the silhouette of each candidate k (chooseK's rule). */
  kScores?: { k: number; silhouette: number }[];
  columns: string[];
  /** Per row, a row's label being the majority of its packets; null without labels. */
  metrics: Metrics | null;
  /** Per packet: each packet takes its row's cluster and keeps its own label; null without labels. */
  metricsByPackets: Metrics | null;
  /** Rows per cluster, index = cluster id. */
  clusterSizes: number[];
  /** Packets per cluster. */
  clusterPackets: number[];
  /** Scan packets per cluster; null without labels. */
  clusterScanPackets: number[] | null;
  /** The kaggle seed's 0-10 rating: share of rows in flagged clusters x 10; null when no rule applies. */
  rating: number | null;
  /** Clusters the rating flagged. */
  flaggedClusters: number[];
  inertia: number;
  iterations: number;
  timings: { featuresMs: number; kmeansMs: number; scoreMs: number };
}

export interface AnalysisResult {
  capture: string;
  packets: number;
  /** null without labels. */
  scanPackets: number | null;
  labelSource: 'labels.csv' | 'scanner' | 'none';
  seed: number;
  featureSets: Record<string, FeatureSetResult>;
  timings: { decodeMs: number; totalMs: number };
  warnings: string[];
}
