// A detector that judges rows (a feature set's windows or flows) hands each packet its row's
// decision, and names the host that started each flagged row. Per-packet scores are not stored:
// every packet of a row shares its row's, so scoring reads the rows (rowScoredMetrics), and
// packetScores expands them for whoever needs one per packet (--emit-scores, the report).
import type { FeatureMatrix } from '../features/feature-set.ts';
import type { Detection, DetectionRows } from './detector.ts';

export function packetsFromRows(features: FeatureMatrix, rowScores: Float64Array, rowFlagged: Uint8Array, rowTraining: Uint8Array, rule: string, threshold: number, notes: string[]): Detection {
  const n = features.rowOfPacket.length;
  const flagged = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = features.rowOfPacket[i];
    if (r >= 0) flagged[i] = rowFlagged[r];
  }
  const hosts = new Set<number>();
  for (let r = 0; r < features.rows; r++) if (rowFlagged[r]) hosts.add(features.rowHost[r]);
  return { scores: null, flagged, hosts, rows: { rowOfPacket: features.rowOfPacket, scores: rowScores, flagged: rowFlagged, training: rowTraining }, rule, threshold, notes };
}

/** Every packet's score: the detection's own, or each packet's row's (0 for a packet in no row). */
export function packetScores(detection: Pick<Detection, 'scores' | 'rows'>): Float64Array {
  if (detection.scores) return detection.scores;
  return scoresOfPackets(detection.rows!);
}

function scoresOfPackets(rows: DetectionRows): Float64Array {
  const out = new Float64Array(rows.rowOfPacket.length);
  for (let i = 0; i < out.length; i++) {
    const r = rows.rowOfPacket[i];
    if (r >= 0) out[i] = rows.scores[r];
  }
  return out;
}

/** Packet i's score without expanding the rows. */
export function packetScoreAt(detection: Pick<Detection, 'scores' | 'rows'>): (i: number) => number {
  if (detection.scores) {
    const scores = detection.scores;
    return (i) => scores[i];
  }
  const { rowOfPacket, scores } = detection.rows!;
  return (i) => (rowOfPacket[i] >= 0 ? scores[rowOfPacket[i]] : 0);
}
