// The contract every online detector meets. The live runner (live-detection.ts) decodes the
// growing capture, cuts it into host-window rows as each window closes, and hands each closed
// window to every detector: first the warm-up's rows once (train), then each window (judge).
// A detector never sees labels, and judges a window once, when it closes.
import type { DecodedCapture } from '../../capture/decode/decode-capture.ts';
import type { PacketColumns } from '../../capture/decode/columns.ts';
import type { TailRecord } from '../../capture/pcap-tail.ts';
import type { RawFeatures } from '../../features/feature-set.ts';

export interface WindowBatch {
  /** The window's host-window rows, unscaled (src/features/host-window.ts). */
  readonly features: RawFeatures;
  /** Per row: 1 when every packet of it is in the warm-up (a training row, not judged). */
  readonly training: Uint8Array;
  /** Per row: the other host of the conversation (rowHost is the one that started it). */
  readonly rowPeer: Uint32Array;
  /** Every packet decoded so far; the window's packets are [firstPacket, endPacket). */
  readonly decoded: DecodedCapture;
  readonly firstPacket: number;
  readonly endPacket: number;
  /** Index of the window (windowOf its packets' time). */
  readonly window: number;
}

export interface WindowVerdict {
  /** Per row: higher is more scan-like. */
  readonly scores: Float64Array;
  /** Per row: 1 = decided scan (never a training row). */
  readonly flagged: Uint8Array;
  /**
   * Per flagged row: the address id it names as the scanner, when that is not the row's host (a
   * host-level baseline convicts one end of a conversation, which may be the peer); absent or -1:
   * the row's host.
   */
  readonly named?: Int32Array;
}

/**
 * The verdict of a detector that scores hosts, not rows (the baselines): a row scores as the
 * higher of its two ends, is flagged at 1 and above (never a training row), and names the end
 * that reached 1.
 */
export function verdictOfEnds(batch: WindowBatch, scoreOf: (address: number) => number): WindowVerdict {
  const { features, training, rowPeer } = batch;
  const scores = new Float64Array(features.rows);
  const flagged = new Uint8Array(features.rows);
  const named = new Int32Array(features.rows).fill(-1);
  for (let r = 0; r < features.rows; r++) {
    const host = scoreOf(features.rowHost[r]);
    const peer = scoreOf(rowPeer[r]);
    scores[r] = Math.max(host, peer);
    if (training[r] || scores[r] < 1) continue;
    flagged[r] = 1;
    if (host < 1) named[r] = rowPeer[r];
  }
  return { scores, flagged, named };
}

export interface OnlineDetector {
  readonly name: string;
  readonly description: string;
  /** The warm-up's rows (all training rows, in window order), once, when its last window closed. */
  train(rows: RawFeatures, seed: number): void;
  judge(batch: WindowBatch): WindowVerdict;
  /**
   * Optional: each record as it is decoded, before its window closes, for a detector that needs
   * the raw frame (an outside program). `record.data` is valid only during the call; `columns[slot]`
   * holds the record's decoded fields.
   */
  observe?(record: TailRecord, columns: PacketColumns, slot: number): void;
  /** Optional: the capture ended (after its last window was judged); frees what the detector holds outside memory. */
  finish?(): void;
  /** How it decided, in a sentence, once trained. */
  rule(): string;
  readonly notes: string[];
}
