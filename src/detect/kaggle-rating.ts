// Seed 000's own decision, as a detector: k-means (k=5) on every flow of the capture, min-max
// scaled over every flow as the notebook did, and the clusters its centre rule flags
// (kaggleFlagUnlabeled: num_packets and time_diff both below the flow-weighted mean centre) are
// "hacking attempts". No labels and no training part: the notebook judged the traffic it
// clustered. Score: 1 for a flow in a flagged cluster, 0 otherwise (the rule has no finer grade).
import { kmeans } from '../cluster/kmeans.ts';
import { buildFeatures, type FeatureMatrix } from '../features/feature-set.ts';
import { withRowsOnly } from '../capture/decode/column-spill.ts';
import { kaggleFlagUnlabeled, kaggleFlow } from '../features/kaggle-flow.ts';
import { hackingRating } from '../score/hacking-rating.ts';
import type { Detection, Detector, DetectorInput } from './detector.ts';
import { packetsFromRows } from './row-decisions.ts';

export const kaggleRating: Detector = {
  name: 'kaggle-rating',
  kind: 'seed-rule',
  description: "seed 000's rule: k-means k=5 on the capture's flows; clusters of small flows arriving with no time gap (centre below the mean on packets and time_diff) are hacking attempts",
  learns: false,
  columnsRead: kaggleFlow.columnsRead,
  detect: detectKaggleRating,
};

export function detectKaggleRating(input: DetectorInput): Detection & { rating: number } {
  // The flows with only the columns they read in memory, the rest from the rows alone (column-spill.ts).
  return withRowsOnly(input.decoded, kaggleFlow.columnsRead, () => buildFeatures(kaggleFlow, input.decoded), (features) => rateFlows(features, input));
}

function rateFlows(features: FeatureMatrix, input: DetectorInput): Detection & { rating: number } {
  const fit = kmeans(features.matrix, features.rows, features.cols, { k: Math.min(kaggleFlow.defaultK, Math.max(1, features.rows)), seed: input.seed });
  const sizes = new Array<number>(fit.k).fill(0);
  for (let r = 0; r < features.rows; r++) sizes[fit.assignments[r]]++;
  const flaggedClusters = new Set(kaggleFlagUnlabeled(fit.centers, fit.k, features.columnNames, sizes));
  const rowScores = new Float64Array(features.rows);
  const rowFlagged = new Uint8Array(features.rows);
  for (let r = 0; r < features.rows; r++) {
    if (!flaggedClusters.has(fit.assignments[r])) continue;
    rowScores[r] = 1;
    rowFlagged[r] = 1;
  }
  const rating = hackingRating(sizes, [...flaggedClusters]);
  const rule = `k-means (k=${fit.k}) on all ${features.rows} flows; clusters ${[...flaggedClusters].join(', ') || 'none'} flagged by their centres; rating ${rating.toFixed(1)}/10`;
  const notes = input.training.source === 'none' ? [] : ['kaggle-rating has no use for a training part: it judges the flows it clusters, as the seed did'];
  return { ...packetsFromRows(features, rowScores, rowFlagged, new Uint8Array(features.rows), rule, 1, notes), rating };
}
