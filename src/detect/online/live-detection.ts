// Live detection over a capture that is still being written: reads the whole records that have
// landed (a PcapTail, or any source of records), decodes them with the project's decoder, cuts
// them into host-window windows, and as each window closes (a packet of a later window arrived,
// or the capture ended) hands its rows to every online detector. Packets before the end of the
// warm-up are the training part, as offline (capture.json's attackFreeUntil): the detectors are
// trained when the window holding that moment closes, then judge every window. Each flagged row
// is an alert, raised at once. Pure apart from the clock: the engine drives it (src/engine/live.ts).
import { CaptureDecoder, type DecodedCapture } from '../../capture/decode/decode-capture.ts';
import type { TailRecord } from '../../capture/pcap-tail.ts';
import { HOST_WINDOW_SECONDS } from '../../features/host-window.ts';
import type { RawFeatures } from '../../features/feature-set.ts';
import { windowOf } from '../../features/round-window.ts';
import type { OnlineDetector } from './online-detector.ts';
import { onlineNovelty } from './novelty-online.ts';
import { onlineStreamingKMeans } from './streaming-kmeans-online.ts';
import { onlineThreshold } from './threshold-online.ts';
import { onlineEither } from './either-online.ts';
import { onlineTrw } from './trw-online.ts';
import { NOVELTY } from '../novelty.ts';
import { windowRows } from './window-rows.ts';
import { onlineP0f } from './p0f-online.ts';

/** An alert as the engine emits it; times are epoch milliseconds (victim clock for packet times). */
export interface LiveAlert {
  readonly detector: string;
  readonly firstPacketTime: number;
  readonly lastPacketTime: number;
  readonly raisedAt: number;
  readonly src: string;
  readonly dst: string | null;
  readonly score: number;
}

export interface RecordSource {
  poll(onRecord: (r: TailRecord) => void, limit?: number): number;
}

export interface LiveOptions {
  readonly seed: number;
  readonly windowSeconds?: number;
  readonly detectors?: OnlineDetector[];
  readonly onAlert?: (alert: LiveAlert) => void;
  readonly clock?: () => number;
}

export function defaultOnlineDetectors(): OnlineDetector[] {
  return [
    onlineNovelty(),
    onlineStreamingKMeans(),
    onlineThreshold(),
    // Own instances of the two parts (each keeps its own state), as offline host-window+threshold.
    onlineEither('online:host-window+threshold', onlineNovelty(), onlineThreshold(), [NOVELTY.THRESHOLD, 1]),
    onlineTrw(),
    onlineP0f(),
  ];
}

/** What one detector decided, per global row (rows in window order). */
export interface DetectorRows {
  readonly scores: number[];
  readonly flagged: number[];
  /** Epoch ms the row's alert was raised; null when not flagged. */
  readonly raisedAt: (number | null)[];
  /** The addresses its alerts named as scanners (a flagged row's host, or the end the detector convicted). */
  readonly hosts: Set<string>;
}

export class LiveDetection {
  readonly detectors: OnlineDetector[];
  private readonly observers: OnlineDetector[];
  private readonly decoder = new CaptureDecoder('the live capture');
  private readonly windowSeconds: number;
  private readonly clock: () => number;
  private openWindow = -1;
  private windowStart = 0;
  private warmUpEndMs: number | null = null;
  private trained = false;
  private readonly trainingRows: RawFeatures[] = [];
  /** Per packet decoded: its global row, -1 while its window is open. */
  private rowOfPacket = new Int32Array(1024);
  readonly rowFirst: number[] = [];
  readonly rowLast: number[] = [];
  readonly rowTraining: number[] = [];
  readonly rowHost: number[] = [];
  readonly byDetector = new Map<string, DetectorRows>();
  readonly alerts: LiveAlert[] = [];
  /** Milliseconds spent reading, decoding and judging: packets / busy time is the rate it sustains. */
  busyMs = 0;
  windows = 0;

  constructor(private readonly source: RecordSource, private readonly options: LiveOptions) {
    this.detectors = options.detectors ?? defaultOnlineDetectors();
    this.observers = this.detectors.filter((d) => d.observe !== undefined);
    this.windowSeconds = options.windowSeconds ?? HOST_WINDOW_SECONDS;
    this.clock = options.clock ?? Date.now;
    for (const d of this.detectors) this.byDetector.set(d.name, { scores: [], flagged: [], raisedAt: [], hosts: new Set() });
  }

  /** The warm-up ended at this moment (epoch ms): later packets are judged. */
  warmUpEnded(epochMs: number): void {
    this.warmUpEndMs = epochMs;
  }

  get packets(): number {
    return this.decoder.packets;
  }

  /** Training part in seconds since the first packet, as offline analysis reads it; null before the warm-up ends. */
  get untilSeconds(): number | null {
    if (this.warmUpEndMs === null || this.decoder.packets === 0) return null;
    const { start } = this.decoder.decoded();
    return this.warmUpEndMs / 1000 - (start.sec + start.nsec / 1e9);
  }

  decoded(): DecodedCapture {
    return this.decoder.decoded();
  }

  /** Reads and judges at most `limit` new records; returns how many were read. */
  step(limit = 50_000): number {
    const t0 = performance.now();
    const before = this.decoder.packets;
    const observers = this.observers;
    const read = this.source.poll(
      observers.length === 0
        ? (r) => this.decoder.push(r)
        : (r) => {
            const slot = this.decoder.push(r);
            for (const d of observers) d.observe!(r, this.decoder.columns, slot);
          },
      limit,
    );
    if (read > 0) this.advance(before, this.decoder.packets);
    this.busyMs += performance.now() - t0;
    return read;
  }

  /** The capture ended: its last window closes. */
  finish(): void {
    const t0 = performance.now();
    while (this.step() > 0);
    if (this.openWindow >= 0 && this.windowStart < this.decoder.packets) this.closeWindow(this.windowStart, this.decoder.packets, this.openWindow);
    this.openWindow = -1;
    for (const d of this.detectors) d.finish?.();
    this.busyMs += performance.now() - t0;
  }

  /** Per packet (of those decoded): its row, -1 for one in no judged window. */
  packetRows(): Int32Array {
    return this.rowOfPacket.subarray(0, this.decoder.packets);
  }

  private advance(from: number, to: number): void {
    if (this.rowOfPacket.length < to) {
      const bigger = new Int32Array(Math.max(to, this.rowOfPacket.length * 2));
      bigger.set(this.rowOfPacket);
      this.rowOfPacket = bigger;
    }
    this.rowOfPacket.fill(-1, from, to);
    const time = this.decoder.decoded().columns.time;
    for (let i = from; i < to; i++) {
      const w = windowOf(time[i], this.windowSeconds);
      if (this.openWindow < 0) {
        this.openWindow = w;
        this.windowStart = i;
      } else if (w > this.openWindow) {
        // A packet stamped a little earlier than the one before it stays in the open window.
        this.closeWindow(this.windowStart, i, this.openWindow);
        this.openWindow = w;
        this.windowStart = i;
      }
    }
  }

  private closeWindow(from: number, to: number, window: number): void {
    const decoded = this.decoder.decoded();
    const rows = windowRows(decoded, from, to, this.windowSeconds);
    const { features } = rows;
    const until = this.untilSeconds;
    const training = new Uint8Array(features.rows);
    for (let r = 0; r < features.rows; r++) training[r] = until === null || rows.lastTime[r] < until ? 1 : 0;
    const base = this.rowFirst.length;
    for (let i = from; i < to; i++) this.rowOfPacket[i] = base + features.rowOfPacket[i - from];
    for (let r = 0; r < features.rows; r++) {
      this.rowFirst.push(rows.firstTime[r]);
      this.rowLast.push(rows.lastTime[r]);
      this.rowTraining.push(training[r]);
      this.rowHost.push(features.rowHost[r]);
    }
    this.windows++;
    if (!this.trained) {
      this.trainingRows.push(onlyRows(features, training));
      if (until === null || window < windowOf(until, this.windowSeconds)) {
        for (const d of this.detectors) pushRows(this.byDetector.get(d.name)!, new Float64Array(features.rows), new Uint8Array(features.rows), null);
        return;
      }
      const warmUp = concatRows(this.trainingRows);
      this.trainingRows.length = 0;
      for (const d of this.detectors) d.train(warmUp, this.options.seed);
      this.trained = true;
    }
    const startMs = decoded.start.sec * 1000 + decoded.start.nsec / 1e6;
    for (const d of this.detectors) {
      const verdict = d.judge({ features, training, rowPeer: rows.rowPeer, decoded, firstPacket: from, endPacket: to, window });
      const raisedAt = this.clock();
      const into = this.byDetector.get(d.name)!;
      pushRows(into, verdict.scores, verdict.flagged, raisedAt);
      for (let r = 0; r < features.rows; r++) {
        if (!verdict.flagged[r]) continue;
        // The alert's source is the scanner it names: the row's host, or the peer a baseline convicted.
        const host = features.rowHost[r];
        const peer = rows.rowPeer[r];
        const named = verdict.named && verdict.named[r] >= 0 ? verdict.named[r] : host;
        const other = named === host ? peer : host;
        into.hosts.add(decoded.addresses.text(named));
        const alert: LiveAlert = {
          detector: d.name,
          firstPacketTime: startMs + rows.firstTime[r] * 1000,
          lastPacketTime: startMs + rows.lastTime[r] * 1000,
          raisedAt,
          src: decoded.addresses.text(named),
          dst: other === named ? null : decoded.addresses.text(other),
          score: verdict.scores[r],
        };
        this.alerts.push(alert);
        this.options.onAlert?.(alert);
      }
    }
  }
}

function pushRows(into: DetectorRows, scores: Float64Array, flagged: Uint8Array, raisedAt: number | null): void {
  for (let r = 0; r < scores.length; r++) {
    into.scores.push(scores[r]);
    into.flagged.push(flagged[r]);
    into.raisedAt.push(flagged[r] ? raisedAt : null);
  }
}

/** The training rows of one window's rows. */
function onlyRows(features: RawFeatures, keep: Uint8Array): RawFeatures {
  const rows: number[] = [];
  for (let r = 0; r < features.rows; r++) if (keep[r]) rows.push(r);
  const matrix = new Float64Array(rows.length * features.cols);
  rows.forEach((r, j) => matrix.set(features.matrix.subarray(r * features.cols, (r + 1) * features.cols), j * features.cols));
  return { ...features, matrix, rows: rows.length, rowPackets: Uint32Array.from(rows, (r) => features.rowPackets[r]), rowHost: Uint32Array.from(rows, (r) => features.rowHost[r]), rowOfPacket: new Int32Array(0) };
}

function concatRows(parts: RawFeatures[]): RawFeatures {
  const rows = parts.reduce((n, p) => n + p.rows, 0);
  const first = parts[0];
  const cols = first?.cols ?? 0;
  const matrix = new Float64Array(rows * cols);
  let at = 0;
  for (const p of parts) {
    matrix.set(p.matrix.subarray(0, p.rows * cols), at);
    at += p.rows * cols;
  }
  return { matrix, rows, cols, columnNames: first?.columnNames ?? [], scaling: first?.scaling ?? [], rowOfPacket: new Int32Array(0), rowPackets: new Uint32Array(rows), rowHost: new Uint32Array(rows) };
}
