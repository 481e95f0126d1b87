// The host-window novelty detector (src/detect/novelty.ts), online: fitted once on the warm-up's
// rows with the same scaler, k-means, seed and radius, then fixed; each closed window's rows are
// scored as the offline detector scores them (distance to the nearest centre / the radius) and
// flagged above the same threshold. On a replayed capture it makes the offline detector's
// decisions (test/detect/online/replay.test.ts).
import type { RawFeatures } from '../../features/feature-set.ts';
import { hostWindow } from '../../features/host-window.ts';
import { fitModel, NOVELTY, scoreRows, type NoveltyModel } from '../novelty.ts';
import type { OnlineDetector, WindowBatch, WindowVerdict } from './online-detector.ts';

export function onlineNovelty(): OnlineDetector & { model(): NoveltyModel | undefined } {
  let model: NoveltyModel | undefined;
  let trainingRows = 0;
  const notes: string[] = [];
  return {
    name: 'online:host-window',
    description: 'host-window novelty online: k-means on the warm-up rows, fixed after it; each window scored as it closes',
    notes,
    model: () => model,
    train(rows: RawFeatures, seed: number) {
      trainingRows = rows.rows;
      if (rows.rows === 0) {
        notes.push('no warm-up row: nothing to learn from, nothing flagged');
        return;
      }
      if (rows.rows < 10 * NOVELTY.ROWS_PER_CLUSTER) notes.push(`only ${rows.rows} training rows: the model of benign traffic is thin`);
      model = fitModel(rows.matrix, rows.cols, rows.scaling, Int32Array.from({ length: rows.rows }, (_, r) => r), hostWindow.defaultK, seed);
    },
    judge(batch: WindowBatch): WindowVerdict {
      const { features, training } = batch;
      const flagged = new Uint8Array(features.rows);
      if (!model) return { scores: new Float64Array(features.rows), flagged };
      const scores = scoreRows(features.matrix, features.rows, features.cols, model);
      for (let r = 0; r < features.rows; r++) if (!training[r] && scores[r] > NOVELTY.THRESHOLD) flagged[r] = 1;
      return { scores, flagged };
    },
    rule: () => (model ? `k-means (k=${model.k}) on ${trainingRows} warm-up rows, fixed; score = distance to the nearest centre / the ${NOVELTY.RADIUS_QUANTILE * 100}th-percentile training distance (${model.radius.toFixed(3)}); flagged above ${NOVELTY.THRESHOLD}` : 'not trained: no warm-up rows'),
  };
}
