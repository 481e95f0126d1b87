// Detection scores of a decision and a score per item (packet or row) against scan/benign labels,
// defined as scikit-learn's sklearn.metrics (1.2) defines them: precision_score, recall_score and
// f1_score with zero_division=0, roc_auc_score, and average_precision_score (no interpolation:
// AP = sum over distinct score thresholds, highest first, of (R_n - R_n-1) x P_n). Ties in the
// score are one threshold, as in sklearn. ROC-AUC and AP are null where sklearn has no value
// (one class only, or no scan item for AP).

export interface DetectionMetrics {
  precision: number;
  recall: number;
  f1: number;
  rocAuc: number | null;
  prAuc: number | null;
  /** Share of the evaluated items that are scan: the precision of flagging everything. */
  baseRate: number;
  evaluated: number;
  flagged: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

export interface DetectionInput {
  /** Per item: higher is more scan-like. */
  readonly scores: ArrayLike<number>;
  /** Per item: 1 = decided scan. */
  readonly flagged: ArrayLike<number>;
  /** Per item: 1 = scan, 0 = benign. */
  readonly labels: ArrayLike<number>;
  /** Per item: 1 = evaluated; every item when left out. */
  readonly evaluated?: ArrayLike<number>;
}

export function detectionMetrics(input: DetectionInput): DetectionMetrics {
  const { scores, flagged, labels, evaluated } = input;
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let n = 0;
  for (let i = 0; i < labels.length; i++) {
    if (evaluated && !evaluated[i]) continue;
    n++;
    if (flagged[i] && labels[i]) tp++;
    else if (flagged[i]) fp++;
    else if (labels[i]) fn++;
  }
  const positives = tp + fn;
  const pos = new Float64Array(positives);
  const neg = new Float64Array(n - positives);
  for (let i = 0, p = 0, q = 0; i < labels.length; i++) {
    if (evaluated && !evaluated[i]) continue;
    // A NaN would never equal itself in the sweep: it ranks lowest.
    const score = Number.isNaN(scores[i]) ? -Infinity : scores[i];
    if (labels[i]) pos[p++] = score;
    else neg[q++] = score;
  }
  const ranking = rankingScores(pos, neg);
  return {
    precision: tp + fp > 0 ? tp / (tp + fp) : 0,
    recall: positives > 0 ? tp / positives : 0,
    f1: 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0,
    rocAuc: ranking.rocAuc,
    prAuc: ranking.prAuc,
    baseRate: n > 0 ? positives / n : 0,
    evaluated: n,
    flagged: tp + fp,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
  };
}

/**
 * ROC-AUC (trapezoids over the ROC curve, as sklearn's auc of roc_curve) and average precision
 * from the scores of the scan items and of the benign items. Both arrays are sorted in place.
 */
export function rankingScores(pos: Float64Array, neg: Float64Array): { rocAuc: number | null; prAuc: number | null } {
  pos.sort();
  neg.sort();
  const P = pos.length;
  const N = neg.length;
  if (P === 0) return { rocAuc: null, prAuc: null };
  // Sweep thresholds from the highest score down; each distinct score takes all its ties at once.
  let i = P - 1;
  let j = N - 1;
  let tp = 0;
  let fp = 0;
  let area = 0;
  let ap = 0;
  while (i >= 0 || j >= 0) {
    const t = i < 0 ? neg[j] : j < 0 ? pos[i] : Math.max(pos[i], neg[j]);
    const tp0 = tp;
    const fp0 = fp;
    while (i >= 0 && pos[i] === t) { tp++; i--; }
    while (j >= 0 && neg[j] === t) { fp++; j--; }
    area += (fp - fp0) * (tp + tp0) / 2;
    ap += ((tp - tp0) / P) * (tp / (tp + fp));
  }
  return { rocAuc: N === 0 ? null : area / (P * N), prAuc: ap };
}
