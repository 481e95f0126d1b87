// A detector that judges rows (a feature set's windows or flows) hands each packet its row's score
// and decision, and names the host that started each flagged row.
import type { FeatureMatrix } from '../features/feature-set.ts';
import type { Detection } from './detector.ts';

export function packetsFromRows(features: FeatureMatrix, rowScores: Float64Array, rowFlagged: Uint8Array, rowTraining: Uint8Array, rule: string, threshold: number, notes: string[]): Detection {
  const n = features.rowOfPacket.length;
  const scores = new Float64Array(n);
  const flagged = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = features.rowOfPacket[i];
    if (r < 0) continue;
    scores[i] = rowScores[r];
    flagged[i] = rowFlagged[r];
  }
  const hosts = new Set<number>();
  for (let r = 0; r < features.rows; r++) if (rowFlagged[r]) hosts.add(features.rowHost[r]);
  return { scores, flagged, hosts, rows: { rowOfPacket: features.rowOfPacket, scores: rowScores, flagged: rowFlagged, training: rowTraining }, rule, threshold, notes };
}
