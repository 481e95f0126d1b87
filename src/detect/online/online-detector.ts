// The contract every online detector meets. The live runner (live-detection.ts) decodes the
// growing capture, cuts it into host-window rows as each window closes, and hands each closed
// window to every detector: first the warm-up's rows once (train), then each window (judge).
// A detector never sees labels, and judges a window once, when it closes.
import type { DecodedCapture } from '../../capture/decode/decode-capture.ts';
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
}

export interface OnlineDetector {
  readonly name: string;
  readonly description: string;
  /** The warm-up's rows (all training rows, in window order), once, when its last window closed. */
  train(rows: RawFeatures, seed: number): void;
  judge(batch: WindowBatch): WindowVerdict;
  /** How it decided, in a sentence, once trained. */
  rule(): string;
  readonly notes: string[];
}
