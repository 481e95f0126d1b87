// The one contract every detector meets: a capture (and, for one that learns, an attack-free
// training part) in; a score and a decision per packet, and the hosts it names, out. A detector
// never sees labels: scoring (src/score/detection-metrics.ts, src/analysis/detect-capture.ts)
// compares its decisions with them afterwards.
import type { ColumnName } from '../capture/decode/columns.ts';
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';

/** Where the attack-free training part comes from. */
export type TrainingSource =
  /** A scanlab run's warm-up: every packet before its first attack step. */
  | 'warm-up'
  /** The first seconds of the capture, as the user said (--train-until). */
  | 'train-until'
  /** A separate capture of benign traffic (--train). */
  | 'train-capture'
  /** None: a learning detector falls back to a weaker rule that needs no training. */
  | 'none';

export interface TrainingPart {
  readonly source: TrainingSource;
  /** warm-up, train-until: packets of the judged capture before this time (seconds since its
   *  first packet) are the training part, and are not judged. */
  readonly untilSeconds: number | null;
  /** train-capture: the benign capture and its path. */
  readonly capture: DecodedCapture | null;
  readonly capturePath: string | null;
}

export const NO_TRAINING: TrainingPart = { source: 'none', untilSeconds: null, capture: null, capturePath: null };

export interface DetectorInput {
  readonly decoded: DecodedCapture;
  readonly training: TrainingPart;
  /** Seed for anything random (k-means++). */
  readonly seed: number;
  /** Window for the windowed feature sets, seconds. */
  readonly windowSeconds?: number;
}

/** A detector's rows: the units it judges when it does not judge packets one by one. Each packet's
 *  score and decision are its row's (score 0, not flagged, for a packet in no row). */
export interface DetectionRows {
  readonly rowOfPacket: Int32Array;
  readonly scores: Float64Array;
  readonly flagged: Uint8Array;
  /** 1 for a training row (all its packets in the training part): not judged. */
  readonly training: Uint8Array;
}

export interface Detection {
  /** Per packet of the judged capture: higher is more scan-like. Null when `rows` holds the
   *  scores (a row detector's packets take their row's: packetScores in row-decisions.ts expands
   *  them), so an analysis holds no per-packet Float64 array for it. */
  readonly scores: Float64Array | null;
  /** Per packet: 1 = decided scan. */
  readonly flagged: Uint8Array;
  /** Address ids (of decoded.addresses) the detector names as scanning hosts. */
  readonly hosts: ReadonlySet<number>;
  readonly rows: DetectionRows | null;
  /** What it learned from and how it decided, in a sentence. */
  readonly rule: string;
  /** The decision threshold on `scores`, when it has one. */
  readonly threshold: number | null;
  /** Weaknesses a reader should know (no training part, too few training rows, ...). */
  readonly notes: string[];
}

/** 'external': a program scanlab runs (src/detect/external/), scored by the same code. */
export type DetectorKind = 'feature-set' | 'baseline' | 'seed-rule' | 'external';

export interface Detector {
  readonly name: string;
  readonly kind: DetectorKind;
  readonly description: string;
  /** True when it learns from the training part (and falls back without one). */
  readonly learns: boolean;
  /** The columns detect() reads; the others may be out of memory meanwhile (column-spill.ts). Every column when left out. */
  readonly columnsRead?: readonly ColumnName[];
  detect(input: DetectorInput): Detection;
}

/** Packets that are judged: all but the training part's. */
export function judgedPackets(decoded: DecodedCapture, training: TrainingPart): Uint8Array {
  const out = new Uint8Array(decoded.packets).fill(1);
  if (training.untilSeconds === null) return out;
  const time = decoded.columns.time;
  for (let i = 0; i < decoded.packets; i++) if (time[i] < training.untilSeconds) out[i] = 0;
  return out;
}
