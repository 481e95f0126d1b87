// The one interface every feature set implements: rows of numbers built from a decoded capture,
// and the map from packets to rows that per-packet scoring needs.
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';

export interface FeatureMatrix {
  /** Row-major rows x cols. */
  readonly matrix: Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly columnNames: readonly string[];
  /** Row of each packet (packet index -> row); -1 for a packet that is in no row. */
  readonly rowOfPacket: Int32Array;
  /** Packets per row. */
  readonly rowPackets: Uint32Array;
}

export interface FeatureOptions {
  /** Window length in seconds, for the windowed sets that take one. */
  readonly windowSeconds?: number;
}

export interface FeatureSet {
  readonly name: string;
  readonly description: string;
  /** k the set's pipeline uses when the user gives none. */
  readonly defaultK: number;
  build(decoded: DecodedCapture, options?: FeatureOptions): FeatureMatrix;
  /**
   * Clusters a rating flags when there are no labels (the kaggle seed's judgement); with labels
   * the analysis flags the clusters most of whose packets are scan.
   */
  flagUnlabeled?(centers: Float64Array, k: number, columnNames: readonly string[], clusterSizes: readonly number[]): number[];
}
