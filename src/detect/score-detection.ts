// Scores a per-packet scan prediction with the same metrics as a clustering: the prediction is a
// clustering into two clusters (predicted benign, predicted scan) scored per packet against the
// labels. Scan precision, recall and F1 then take the prediction as it is (predicted scan =
// detected), not the majority rule that decides which k-means cluster is a scan cluster.
import { computeMetrics, type Metrics } from '../score/metrics.ts';

export interface DetectionScore {
  readonly metrics: Metrics;
  /** Packets predicted scan. */
  readonly predictedScan: number;
  /** Benign packets predicted scan (false positives). */
  readonly falsePositives: number;
}

export function scoreDetection(predicted: Uint8Array, labels: Uint8Array): DetectionScore {
  if (predicted.length !== labels.length) throw new RangeError(`prediction has ${predicted.length} packets, labels ${labels.length}`);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    if (predicted[i] && labels[i]) tp++;
    else if (predicted[i]) fp++;
    else if (labels[i]) fn++;
  }
  const clustered = computeMetrics({ clusters: Int32Array.from(predicted), labels });
  const metrics: Metrics = {
    ...clustered,
    scanPrecision: tp + fp > 0 ? tp / (tp + fp) : 0,
    scanRecall: tp + fn > 0 ? tp / (tp + fn) : 0,
    scanF1: 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0,
  };
  return { metrics, predictedScan: tp + fp, falsePositives: fp };
}
