// External clustering scores against scan/benign ground truth, defined exactly as scikit-learn's
// sklearn.metrics (1.2) so numbers compare with published work, edge cases included. All come from
// the clusters x {benign, scan} contingency table; weights make them per packet.
import { contingency, type Contingency, type ScoreInput } from './contingency.ts';
import { scanClusterSlots } from './scan-clusters.ts';

export type Metrics = {
  ari: number;
  /** Normalized mutual information, arithmetic-mean normalization (sklearn's default). */
  nmi: number;
  homogeneity: number;
  completeness: number;
  /** V-measure with beta = 1. */
  vMeasure: number;
  /** Share of members in their cluster's majority class; 1 for no members. */
  purity: number;
  /** Scan detection where predicted scan = member of a scan cluster (strict majority, tie benign). */
  scanPrecision: number;
  scanRecall: number;
  scanF1: number;
};

export type { ScoreInput, RowWeights } from './contingency.ts';

/** All scores for one clustering. */
export function computeMetrics(input: ScoreInput): Metrics {
  return metricsFromContingency(contingency(input));
}

export function metricsFromContingency(table: Contingency): Metrics {
  const { benign, scan } = table;
  const k = table.clusterIds.length;
  const clusterSizes = new Float64Array(k);
  let nBenign = 0;
  let nScan = 0;
  for (let j = 0; j < k; j++) {
    clusterSizes[j] = benign[j] + scan[j];
    nBenign += benign[j];
    nScan += scan[j];
  }
  const n = nBenign + nScan;
  const classSizes = [nBenign, nScan].filter((v) => v > 0);
  const cells: number[] = [];
  for (let j = 0; j < k; j++) {
    if (benign[j] > 0) cells.push(benign[j]);
    if (scan[j] > 0) cells.push(scan[j]);
  }

  const hTrue = entropy(classSizes);
  const hPred = entropy(clusterSizes);
  const mi = mutualInfo(table, classSizes.length, n);
  const homogeneity = n === 0 ? 1 : hTrue ? mi / hTrue : 1;
  const completeness = n === 0 ? 1 : hPred ? mi / hPred : 1;
  const vMeasure = homogeneity + completeness === 0 ? 0 : (2 * homogeneity * completeness) / (homogeneity + completeness);

  let majority = 0;
  for (let j = 0; j < k; j++) majority += Math.max(benign[j], scan[j]);

  let tp = 0;
  let fp = 0;
  for (const j of scanClusterSlots(table)) {
    tp += scan[j];
    fp += benign[j];
  }
  const fn = nScan - tp;

  return {
    ari: adjustedRand(cells, classSizes, clusterSizes, n),
    nmi: normalizedMutualInfo(mi, hTrue, hPred, classSizes.length, k),
    homogeneity,
    completeness,
    vMeasure,
    purity: n === 0 ? 1 : majority / n,
    // sklearn's zero_division=0: an empty denominator scores 0.
    scanPrecision: tp + fp > 0 ? tp / (tp + fp) : 0,
    scanRecall: tp + fn > 0 ? tp / (tp + fn) : 0,
    scanF1: 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0,
  };
}

/** sklearn.metrics.cluster.entropy over group sizes: 1 for no members, 0 for a single group. */
function entropy(sizes: ArrayLike<number>): number {
  let sum = 0;
  let groups = 0;
  for (let i = 0; i < sizes.length; i++) if (sizes[i] > 0) { sum += sizes[i]; groups++; }
  if (sum === 0) return 1;
  if (groups === 1) return 0;
  const logSum = Math.log(sum);
  let h = 0;
  for (let i = 0; i < sizes.length; i++) if (sizes[i] > 0) h -= (sizes[i] / sum) * (Math.log(sizes[i]) - logSum);
  return h;
}

/** sklearn's mutual_info_score from a contingency: terms below machine epsilon are dropped, result clipped at 0. */
function mutualInfo(table: Contingency, classCount: number, n: number): number {
  const k = table.clusterIds.length;
  if (classCount <= 1 || k <= 1) return 0;
  const logN = Math.log(n);
  const classTotals = [0, 0];
  for (let j = 0; j < k; j++) { classTotals[0] += table.benign[j]; classTotals[1] += table.scan[j]; }
  let mi = 0;
  for (let j = 0; j < k; j++) {
    const pj = table.benign[j] + table.scan[j];
    for (let c = 0; c < 2; c++) {
      const v = c === 0 ? table.benign[j] : table.scan[j];
      if (v <= 0) continue;
      const term = (v / n) * (Math.log(v) - logN) + (v / n) * (-Math.log(classTotals[c]) - Math.log(pj) + 2 * logN);
      if (Math.abs(term) >= Number.EPSILON) mi += term;
    }
  }
  return Math.max(mi, 0);
}

function normalizedMutualInfo(mi: number, hTrue: number, hPred: number, classCount: number, clusterCount: number): number {
  // Both labellings unsplit (or empty): a perfect match.
  if ((classCount === 1 && clusterCount === 1) || (classCount === 0 && clusterCount === 0)) return 1;
  if (mi === 0) return 0;
  return mi / ((hTrue + hPred) / 2);
}

/** sklearn's adjusted_rand_score through its pair confusion matrix. */
function adjustedRand(cells: number[], classSizes: number[], clusterSizes: Float64Array, n: number): number {
  let sumSquares = 0;
  for (const v of cells) sumSquares += v * v;
  let sumClusters = 0;
  for (const v of clusterSizes) sumClusters += v * v;
  let sumClasses = 0;
  for (const v of classSizes) sumClasses += v * v;
  const tp = sumSquares - n;
  const fp = sumClusters - sumSquares;
  const fn = sumClasses - sumSquares;
  const tn = n * n - fp - fn - sumSquares;
  if (fn === 0 && fp === 0) return 1;
  return (2 * (tp * tn - fn * fp)) / ((tp + fn) * (fn + tn) + (tp + fp) * (fp + tn));
}
