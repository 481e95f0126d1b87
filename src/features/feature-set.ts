// The one interface every feature set implements: rows of numbers built from a decoded capture,
// and the map from packets to rows that per-packet scoring needs. A set builds its columns raw and
// says how each is scaled, so the scaler can be fitted on every row (the seeds' pipelines, and
// separation) or on attack-free training rows only (detection).
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';
import type { ColumnName } from '../capture/decode/columns.ts';
import { allRows, applyScaler, fitScaler, type ColumnScaling } from './scale.ts';

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
  /** Address id of the host that started each row (its first packet's source, or the sender of
   *  its first SYN): the host a detector names when it flags the row. Never a feature. */
  readonly rowHost: Uint32Array;
}

/** Rows before scaling, with each column's scaling. */
export interface RawFeatures extends FeatureMatrix {
  readonly scaling: readonly ColumnScaling[];
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
  /** The columns buildRaw reads: the others may be out of memory meanwhile (column-spill.ts). */
  readonly columnsRead?: readonly ColumnName[];
  /** The rows unscaled; `buildFeatures` scales them over every row. */
  buildRaw(decoded: DecodedCapture, options?: FeatureOptions): RawFeatures;
  /**
   * Clusters a rating flags when there are no labels (the kaggle seed's judgement); with labels
   * the analysis flags the clusters most of whose packets are scan.
   */
  flagUnlabeled?(centers: Float64Array, k: number, columnNames: readonly string[], clusterSizes: readonly number[]): number[];
}

/**
 * A feature matrix of rows x cols zeros, in shared memory: k-means' helper thread
 * (src/cluster/lloyd-pool.ts) then reads the rows in place instead of holding a copy of half of
 * them (a 20M-packet capture's sds-window rows are 360 MB).
 */
export function featureMatrix(rows: number, cols: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(rows * cols * Float64Array.BYTES_PER_ELEMENT));
}

/** A set's rows with its scaler fitted on every row, as the seeds' pipelines scale them. */
export function buildFeatures(set: FeatureSet, decoded: DecodedCapture, options?: FeatureOptions): FeatureMatrix {
  const raw = set.buildRaw(decoded, options);
  applyScaler(raw.matrix, raw.rows, raw.cols, fitScaler(raw.matrix, raw.cols, raw.scaling, allRows(raw.rows)));
  return raw;
}
