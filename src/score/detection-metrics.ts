// Detection scores of a decision and a score per item (packet or row) against scan/benign labels,
// defined as scikit-learn's sklearn.metrics (1.2) defines them: precision_score, recall_score and
// f1_score with zero_division=0, roc_auc_score, and average_precision_score (no interpolation:
// AP = sum over distinct score thresholds, highest first, of (R_n - R_n-1) x P_n). Ties in the
// score are one threshold, as in sklearn. ROC-AUC and AP are null where sklearn has no value
// (one class only, or no scan item for AP).

import { lowerBound } from '../util/lower-bound.ts';

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
  const { scores, labels, evaluated } = input;
  const counts = confusionCounts(input.flagged, labels, evaluated);
  const tally = new ScoreTally();
  for (let i = 0; i < labels.length; i++) {
    if (evaluated && !evaluated[i]) continue;
    tally.add(scores[i], labels[i] ? 1 : 0, labels[i] ? 0 : 1);
    // Scores nearly all distinct: the per-value table would outgrow two sorted arrays.
    if (tally.distinct > MAX_TALLIED_SCORES) return metricsOf(counts, rankingOfItems(input, counts));
  }
  return metricsOf(counts, tally.ranking());
}

/** A detection that scores rows (each packet its row's score, 0 for a packet in no row), judged per packet. */
export interface RowScoredInput {
  readonly rowOfPacket: Int32Array;
  readonly rowScores: ArrayLike<number>;
  /** Per packet: 1 = decided scan. */
  readonly flagged: ArrayLike<number>;
  /** Per packet: 1 = scan, 0 = benign. */
  readonly labels: ArrayLike<number>;
  /** Per packet: 1 = evaluated. */
  readonly evaluated: ArrayLike<number>;
}

/**
 * detectionMetrics over the packets of a row-scored detection, without a per-packet score array:
 * every packet of a row shares its score, so the ranking counts each row's judged scan and benign
 * packets once. The same numbers as detectionMetrics on the per-packet scores, bit for bit (the
 * sweep adds the same integer counts per distinct score).
 */
export function rowScoredMetrics(input: RowScoredInput): DetectionMetrics {
  const { rowOfPacket, rowScores, labels, evaluated } = input;
  const counts = confusionCounts(input.flagged, labels, evaluated);
  const rows = rowScores.length;
  // One more entry, the last, for the judged packets in no row (score 0).
  const scan = new Uint32Array(rows + 1);
  const benign = new Uint32Array(rows + 1);
  for (let i = 0; i < labels.length; i++) {
    if (!evaluated[i]) continue;
    const r = rowOfPacket[i] < 0 ? rows : rowOfPacket[i];
    if (labels[i]) scan[r]++;
    else benign[r]++;
  }
  return metricsOf(counts, rankingOfRows(rowScores, scan, benign));
}

/**
 * ScoreTally's ranking over rows (entry `rows` scoring 0) without a table per distinct score (a
 * Map of millions of entries was the peak of scoring sds-window at 20M packets): the distinct
 * scores sorted, each entry's counts summed into its score's place (found by binary search), then
 * the same sweep (sweepDistinct), so the same numbers.
 */
function rankingOfRows(rowScores: ArrayLike<number>, scan: Uint32Array, benign: Uint32Array): { rocAuc: number | null; prAuc: number | null } {
  const entries = scan.length;
  const key = (r: number): number => {
    const v = r === entries - 1 ? 0 : rowScores[r];
    return Number.isNaN(v) ? -Infinity : v;
  };
  let used = 0;
  for (let r = 0; r < entries; r++) if (scan[r] + benign[r] > 0) used++;
  const sorted = new Float64Array(used);
  for (let r = 0, j = 0; r < entries; r++) if (scan[r] + benign[r] > 0) sorted[j++] = key(r);
  sorted.sort();
  // Equal scores are one threshold (-0 and 0 too, as they tie in the sweep).
  let distinct = 0;
  for (let j = 0; j < used; j++) if (distinct === 0 || sorted[j] !== sorted[distinct - 1]) sorted[distinct++] = sorted[j];
  const values = sorted.subarray(0, distinct);
  const scanAt = new Float64Array(distinct);
  const benignAt = new Float64Array(distinct);
  for (let r = 0; r < entries; r++) {
    if (scan[r] + benign[r] === 0) continue;
    const at = lowerBound(values, key(r));
    scanAt[at] += scan[r];
    benignAt[at] += benign[r];
  }
  return sweepDistinct(scanAt, benignAt);
}

/**
 * ROC-AUC and AP from the scan and benign counts of each distinct score, in ascending order of
 * score: the thresholds swept from the highest down (the counts are integers, so the sums are
 * exact whatever order they were added in).
 */
function sweepDistinct(scanAt: Float64Array, benignAt: Float64Array): { rocAuc: number | null; prAuc: number | null } {
  let P = 0;
  let N = 0;
  for (let v = 0; v < scanAt.length; v++) {
    P += scanAt[v];
    N += benignAt[v];
  }
  if (P === 0) return { rocAuc: null, prAuc: null };
  let tp = 0;
  let fp = 0;
  let area = 0;
  let ap = 0;
  for (let v = scanAt.length - 1; v >= 0; v--) {
    const tp0 = tp;
    const fp0 = fp;
    tp += scanAt[v];
    fp += benignAt[v];
    area += (fp - fp0) * (tp + tp0) / 2;
    ap += ((tp - tp0) / P) * (tp / (tp + fp));
  }
  return { rocAuc: N === 0 ? null : area / (P * N), prAuc: ap };
}

/** Above this many distinct scores detectionMetrics ranks sorted copies of the scores instead. */
const MAX_TALLIED_SCORES = 1 << 18;

interface ConfusionCounts {
  n: number;
  tp: number;
  fp: number;
  fn: number;
}

function confusionCounts(flagged: ArrayLike<number>, labels: ArrayLike<number>, evaluated: ArrayLike<number> | undefined): ConfusionCounts {
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
  return { n, tp, fp, fn };
}

function metricsOf({ n, tp, fp, fn }: ConfusionCounts, ranking: { rocAuc: number | null; prAuc: number | null }): DetectionMetrics {
  const positives = tp + fn;
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

/** The ranking from sorted copies of the scan items' and the benign items' scores. */
function rankingOfItems({ scores, labels, evaluated }: DetectionInput, { n, tp, fn }: ConfusionCounts): { rocAuc: number | null; prAuc: number | null } {
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
  return rankingScores(pos, neg);
}

/**
 * Scan and benign counts per distinct score, for the ranking without an array per item. Equal
 * scores share an entry (-0 and 0 too, as they tie in the sweep); NaN ranks lowest, as -Infinity.
 */
export class ScoreTally {
  private readonly slotOf = new Map<number, number>();
  private scan: Float64Array = new Float64Array(64);
  private benign: Float64Array = new Float64Array(64);

  get distinct(): number {
    return this.slotOf.size;
  }

  add(score: number, scan: number, benign: number): void {
    if (scan === 0 && benign === 0) return;
    const value = Number.isNaN(score) ? -Infinity : score;
    let slot = this.slotOf.get(value);
    if (slot === undefined) {
      slot = this.slotOf.size;
      this.slotOf.set(value, slot);
      if (slot >= this.scan.length) {
        this.scan = grown(this.scan);
        this.benign = grown(this.benign);
      }
    }
    this.scan[slot] += scan;
    this.benign[slot] += benign;
  }

  /** rankingScores' sweep over the distinct scores, highest first: the same arithmetic, so the same numbers. */
  ranking(): { rocAuc: number | null; prAuc: number | null } {
    const values = Float64Array.from(this.slotOf.keys()).sort();
    const scanAt = new Float64Array(values.length);
    const benignAt = new Float64Array(values.length);
    for (let v = 0; v < values.length; v++) {
      const slot = this.slotOf.get(values[v])!;
      scanAt[v] = this.scan[slot];
      benignAt[v] = this.benign[slot];
    }
    return sweepDistinct(scanAt, benignAt);
  }
}

function grown(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
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
