// The shape of an analysis: what analysis.json holds and `scanlab analyze --json` prints.
// `detectors` is detection (label-free decisions scored against the labels); `featureSets` is
// separation (clusterings whose scan clusters the labels name). Names are stable: scripts read them.
import type { Metrics } from '../score/metrics.ts';
import type { DetectorResult } from './detect-capture.ts';
import type { describeTraining } from './training.ts';

export interface FeatureSetResult {
  rows: number;
  /** Clusters made (may be below the k asked for when there are fewer distinct rows). */
  k: number;
  kRequested: number | 'auto';
  /** With --k auto: the silhouette of each candidate k (chooseK's rule). */
  kScores?: { k: number; silhouette: number }[];
  columns: string[];
  /** Separation, per row, a row's label being the majority of its packets; null without labels.
   *  Its scan precision/recall/F1 take the clusters the labels call scan (majority rule). */
  metrics: Metrics | null;
  /** Per packet: each packet takes its row's cluster and keeps its own label; null without labels. */
  metricsByPackets: Metrics | null;
  /** Rows per cluster, index = cluster id. */
  clusterSizes: number[];
  /** Packets per cluster. */
  clusterPackets: number[];
  /** Scan packets per cluster; null without labels. */
  clusterScanPackets: number[] | null;
  /** The kaggle seed's 0-10 rating: share of rows in the clusters its centre rule flags x 10
   *  (no labels involved); null for sets without such a rule. */
  rating: number | null;
  /** Clusters the rating's centre rule flagged; null without a rule. */
  ratedClusters: number[] | null;
  /** Clusters whose packets are mostly scan (the labels' pick, for separation); null without labels. */
  majorityScanClusters: number[] | null;
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
  /** What the learning detectors trained on. */
  training: ReturnType<typeof describeTraining>;
  /** Detection, per detector. */
  detectors: Record<string, DetectorResult>;
  /** Separation, per feature set. */
  featureSets: Record<string, FeatureSetResult>;
  timings: { decodeMs: number; detectMs: number; totalMs: number };
  warnings: string[];
}
