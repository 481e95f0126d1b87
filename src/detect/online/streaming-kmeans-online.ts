// Streaming k-means with decay on host-window rows (Spark's StreamingKMeans, the future work seed
// 003 names): it starts from the novelty detector's warm-up model (same scaler, centres, radius;
// each centre weighted by its warm-up rows), and keeps learning: each closed window is first
// scored against the centres as they are (distance to the nearest / the warm-up radius, flagged
// above novelty's threshold), then folded into them with Spark's update rule and a half-life of
// HALF_LIFE_WINDOWS windows. As in Spark every row updates the model, the flagged ones too: a
// long scan slowly becomes "normal" and stops being flagged; that is the price of adapting to
// benign traffic that drifts, and what this detector is here to measure.
import type { RawFeatures } from '../../features/feature-set.ts';
import { applyScaler } from '../../features/scale.ts';
import { hostWindow } from '../../features/host-window.ts';
import { fitModel, NOVELTY, type NoveltyModel } from '../novelty.ts';
import type { OnlineDetector, WindowBatch, WindowVerdict } from './online-detector.ts';
import { decayFactorForHalfLife, nearestCenter, updateStreamingKMeans, type StreamingKMeansModel } from './streaming-kmeans.ts';

export const STREAMING = { HALF_LIFE_WINDOWS: 30 } as const;

export function onlineStreamingKMeans(halfLife: number = STREAMING.HALF_LIFE_WINDOWS): OnlineDetector {
  let fixed: NoveltyModel | undefined;
  let model: StreamingKMeansModel | undefined;
  let trainingRows = 0;
  const decay = decayFactorForHalfLife(halfLife);
  const notes: string[] = [];
  return {
    name: 'online:streaming-kmeans',
    description: `streaming k-means on host-window rows (Spark StreamingKMeans update, half-life ${halfLife} windows), started from the warm-up model`,
    notes,
    train(rows: RawFeatures, seed: number) {
      trainingRows = rows.rows;
      if (rows.rows === 0) {
        notes.push('no warm-up row: nothing to start from, nothing flagged');
        return;
      }
      const all = Int32Array.from({ length: rows.rows }, (_, r) => r);
      fixed = fitModel(rows.matrix, rows.cols, rows.scaling, all, hostWindow.defaultK, seed);
      const start = { k: fixed.k, dim: rows.cols, centers: Float64Array.from(fixed.centers), weights: new Float64Array(fixed.k) };
      const x = scaled(rows, fixed);
      for (let r = 0; r < rows.rows; r++) start.weights[nearestCenter(start, x, r).index]++;
      model = start;
    },
    judge(batch: WindowBatch): WindowVerdict {
      const { features, training } = batch;
      const scores = new Float64Array(features.rows);
      const flagged = new Uint8Array(features.rows);
      if (!model || !fixed) return { scores, flagged };
      const x = scaled(features, fixed);
      for (let r = 0; r < features.rows; r++) {
        scores[r] = Math.sqrt(nearestCenter(model, x, r).sqd) / fixed.radius;
        if (!training[r] && scores[r] > NOVELTY.THRESHOLD) flagged[r] = 1;
      }
      // The warm-up rows of the window that ends it are in the model already.
      const judged = judgedRows(x, features.cols, training);
      if (judged.rows > 0) updateStreamingKMeans(model, judged.x, judged.rows, decay);
      return { scores, flagged };
    },
    rule: () => (fixed ? `started from k-means (k=${fixed.k}) on ${trainingRows} warm-up rows; each window scored (distance to the nearest centre / ${fixed.radius.toFixed(3)}, flagged above ${NOVELTY.THRESHOLD}), then learnt with decay factor ${decay.toFixed(4)} per window` : 'not trained: no warm-up rows'),
  };
}

function scaled(rows: RawFeatures, model: NoveltyModel): Float64Array {
  const x = rows.matrix.slice(0, rows.rows * rows.cols);
  applyScaler(x, rows.rows, rows.cols, model.scaler);
  return x;
}

function judgedRows(x: Float64Array, cols: number, training: Uint8Array): { x: Float64Array; rows: number } {
  let n = 0;
  for (let r = 0; r < training.length; r++) if (!training[r]) n++;
  const out = new Float64Array(n * cols);
  for (let r = 0, j = 0; r < training.length; r++) if (!training[r]) out.set(x.subarray(r * cols, (r + 1) * cols), cols * j++);
  return { x: out, rows: n };
}
