// The online detectors' entries of analysis.json's `detectors`: the decisions live.json recorded,
// scored against the labels with the offline scoring code (same judged packets as the offline
// detectors, so the numbers compare), plus what only a live run can measure: per attack step the
// time from its first probe to the first alert that covers one of its packets (both wall clock),
// and the alerts' latency (raised minus the newest packet they cover).
import type { DecodedCapture } from '../../capture/decode/decode-capture.ts';
import { scoreDetection, type DetectorResult } from '../../analysis/detect-capture.ts';
import type { GroundTruth } from '../../score/detection-report.ts';
import type { Detection, DetectorKind, TrainingPart } from '../detector.ts';
import { describeTraining } from '../../analysis/training.ts';
import { join } from 'node:path';
import { useColumns } from '../../capture/decode/column-spill.ts';
import { LIVE_FILE, readLiveRecord, type LiveRecord } from './live-record.ts';

export interface OnlineDetectorResult extends DetectorResult {
  online: true;
  /** Per attack step: first alert raised minus the step's first probe, wall clock ms; null = not detected. */
  timeToDetectMs: Record<string, number | null> | null;
  /** The offline meaning, for comparison: first flagged packet minus the step's first packet, capture time. */
  captureTimeToDetectMs: Record<string, number | null> | null;
  alertLatencyMs: { alerts: number; p50: number | null; p99: number | null };
  /** Packets per second of busy time the live path sustained (all online detectors together). */
  packetsPerSecond: number | null;
}

/** Online detectors that learn nothing (no training part, no seed), with their offline twins' kind; the rest are 'feature-set'. */
const UNTRAINED_KIND: Record<string, DetectorKind> = { 'online:threshold': 'baseline', 'online:trw': 'baseline', 'online:p0f': 'external' };

/** The online results of a run directory's live.json; none without one. */
export function liveResultsOfRun(runDir: string | undefined, decoded: DecodedCapture, truth: GroundTruth | undefined, judged: Uint8Array, training: TrainingPart, seed: number): Record<string, OnlineDetectorResult> {
  const record = runDir ? readLiveRecord(join(runDir, LIVE_FILE)) : null;
  if (!record) return {};
  // Scored like the offline detectors, which may have left columns out of memory (column-spill.ts).
  useColumns(decoded, 'all');
  return onlineResults(record, decoded, truth, judged, training, seed);
}

/** `seed`: the offline detectors' seed; when the record's models had another, their entries say so. */
export function onlineResults(record: LiveRecord, decoded: DecodedCapture, truth: GroundTruth | undefined, judged: Uint8Array, training: TrainingPart, seed: number): Record<string, OnlineDetectorResult> {
  const out: Record<string, OnlineDetectorResult> = {};
  const covered = Math.min(record.packets, decoded.packets);
  const rowOfPacket = new Int32Array(decoded.packets).fill(-1);
  for (let i = 0; i < covered; i++) rowOfPacket[i] = record.rowOfPacket[i];
  let judgedCount = 0;
  for (let i = 0; i < judged.length; i++) judgedCount += judged[i];
  for (const [name, d] of Object.entries(record.detectors)) {
    const detection = toDetection(record, d, rowOfPacket, decoded);
    const scored = scoreDetection(decoded, detection, truth, judged, judgedCount);
    const notes = [...d.notes];
    const untrained = UNTRAINED_KIND[name];
    if (!untrained && record.seed !== seed) {
      notes.push(`fitted during the run with ${record.seed === undefined ? 'an unrecorded seed' : `seed ${record.seed}`}; the offline detectors here use seed ${seed}, so their k-means models can differ`);
    }
    if (covered < decoded.packets) notes.push(`live detection read ${covered} of ${decoded.packets} packets; the rest count as not flagged`);
    const latencies = record.alerts.filter((a) => a.detector === name).map((a) => a.raisedAt - a.lastPacketTime);
    out[name] = {
      ...scored,
      online: true,
      kind: untrained ?? 'feature-set',
      description: d.description,
      training: untrained ? null : describeTraining(training),
      threshold: null,
      notes,
      timeToDetectMs: truth ? wallTimeToDetect(d.raisedAt, rowOfPacket, decoded, truth, judged) : null,
      captureTimeToDetectMs: scored.timeToDetectMs,
      alertLatencyMs: { alerts: latencies.length, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) },
      packetsPerSecond: record.throughput.packetsPerSecond,
      ms: record.throughput.busyMs,
    };
  }
  return out;
}

/** The recorded per-row decisions as a per-packet Detection, as the offline detectors give one. */
export function toDetection(record: LiveRecord, d: LiveRecord['detectors'][string], rowOfPacket: Int32Array, decoded: DecodedCapture): Detection {
  const scores = new Float64Array(decoded.packets);
  const flagged = new Uint8Array(decoded.packets);
  for (let i = 0; i < decoded.packets; i++) {
    const r = rowOfPacket[i];
    if (r < 0) continue;
    scores[i] = d.scores[r];
    flagged[i] = d.flagged[r];
  }
  const hosts = new Set<number>();
  if (d.hosts) {
    for (const text of d.hosts) {
      const id = decoded.addresses.lookup(text);
      if (id !== undefined) hosts.add(id);
    }
  } else {
    const hostOf = rowHosts(rowOfPacket, decoded, d.flagged.length);
    for (let r = 0; r < d.flagged.length; r++) if (d.flagged[r] && hostOf[r] >= 0) hosts.add(hostOf[r]);
  }
  const rows = { rowOfPacket, scores: Float64Array.from(d.scores), flagged: Uint8Array.from(d.flagged), training: Uint8Array.from(record.rows.training) };
  return { scores, flagged, hosts, rows, rule: d.rule, threshold: null, notes: d.notes };
}

/** Per row: the host that started it (the sender of its first SYN without ACK, else of its first packet), as host-window names it. */
function rowHosts(rowOfPacket: Int32Array, decoded: DecodedCapture, rows: number): Int32Array {
  const out = new Int32Array(rows).fill(-1);
  const bySyn = new Uint8Array(rows);
  const { src, tcpFlags } = decoded.columns;
  for (let i = 0; i < rowOfPacket.length; i++) {
    const r = rowOfPacket[i];
    if (r < 0) continue;
    if (out[r] < 0) out[r] = src[i];
    if (!bySyn[r] && (tcpFlags[i] & 0x12) === 0x02) {
      out[r] = src[i];
      bySyn[r] = 1;
    }
  }
  return out;
}

function wallTimeToDetect(raisedAt: (number | null)[], rowOfPacket: Int32Array, decoded: DecodedCapture, truth: GroundTruth, judged: Uint8Array): Record<string, number | null> {
  const startMs = decoded.start.sec * 1000 + decoded.start.nsec / 1e6;
  const firstProbe = new Float64Array(truth.steps.length).fill(NaN);
  const firstAlert = new Float64Array(truth.steps.length).fill(Infinity);
  const time = decoded.columns.time;
  for (let i = 0; i < decoded.packets; i++) {
    const s = truth.stepOf[i];
    if (s === 0 || !truth.labels[i] || !judged[i]) continue;
    if (Number.isNaN(firstProbe[s])) firstProbe[s] = startMs + time[i] * 1000;
    const r = rowOfPacket[i];
    const at = r >= 0 ? raisedAt[r] : null;
    if (at !== null && at !== undefined && at < firstAlert[s]) firstAlert[s] = at;
  }
  const out: Record<string, number | null> = {};
  for (let s = 1; s < truth.steps.length; s++) {
    if (Number.isNaN(firstProbe[s])) continue;
    out[truth.steps[s]] = firstAlert[s] === Infinity ? null : Math.round(firstAlert[s] - firstProbe[s]);
  }
  return out;
}

/** Linear-interpolated quantile (numpy's default); null for no values. */
function quantile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return Math.round(sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo));
}
