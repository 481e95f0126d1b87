// A detector's decisions judged against the labels, as detection papers report them: per packet
// and per row precision/recall/F1, ROC-AUC and average precision with the base rate beside them;
// attacking hosts detected or missed and benign hosts falsely flagged; time to detect per attack
// step; false alarms per hour. Only the judged packets (after the training part) count.
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';
import type { ColumnName } from '../capture/decode/columns.ts';
import { ADDRESS_KIND } from '../capture/decode/address-table.ts';
import { PROTO } from '../capture/decode/protocol-table.ts';
import type { Detection } from '../detect/detector.ts';
import { detectionMetrics, rowScoredMetrics, type DetectionMetrics } from './detection-metrics.ts';

export interface GroundTruth {
  /** 1 = scan, per packet. */
  readonly labels: Uint8Array;
  /** Step index per packet (0 = none) into `steps`. */
  readonly stepOf: Uint16Array;
  readonly steps: readonly string[];
}

export interface HostOutcome {
  /** Attacking hosts the detector named. */
  readonly detected: string[];
  /** Attacking hosts it did not name. */
  readonly missed: string[];
  /** Hosts it named that attacked nothing (benign hosts, the victim). */
  readonly falselyFlagged: string[];
}

export interface DetectionScores {
  readonly packets: DetectionMetrics;
  readonly rows: DetectionMetrics | null;
  readonly hosts: HostOutcome;
  /** Per attack step: first flagged scan packet of the step minus the step's first packet, ms; null when never flagged. */
  readonly timeToDetectMs: Record<string, number | null>;
  /** Flagged benign (source, minute) pairs per hour of judged capture; null for a capture under a second. */
  readonly falseAlarmsPerHour: number | null;
  readonly falseAlarms: number;
}

/** The columns scoreDetectorRun reads. */
export const SCORING_COLUMNS = ['time', 'src', 'dst', 'icmpTypeCode', 'protocol'] as const satisfies readonly ColumnName[];

export function scoreDetectorRun(decoded: DecodedCapture, detection: Detection, truth: GroundTruth, judged: Uint8Array): DetectionScores {
  const packets = detection.scores
    ? detectionMetrics({ scores: detection.scores, flagged: detection.flagged, labels: truth.labels, evaluated: judged })
    : rowScoredMetrics({ rowOfPacket: detection.rows!.rowOfPacket, rowScores: detection.rows!.scores, flagged: detection.flagged, labels: truth.labels, evaluated: judged });
  return {
    packets,
    rows: detection.rows ? rowMetrics(detection.rows, truth.labels) : null,
    hosts: hostOutcome(decoded, detection.hosts, attackingHosts(decoded, truth.labels, judged)),
    timeToDetectMs: timeToDetect(decoded, detection.flagged, truth, judged),
    ...falseAlarms(decoded, detection.flagged, truth.labels, judged),
  };
}

/** Rows judged on their own: a row is scan when most of its packets are; training rows left out. */
function rowMetrics(rows: NonNullable<Detection['rows']>, labels: Uint8Array): DetectionMetrics {
  const n = rows.scores.length;
  const scan = new Float64Array(n);
  const size = new Float64Array(n);
  for (let i = 0; i < rows.rowOfPacket.length; i++) {
    const r = rows.rowOfPacket[i];
    if (r < 0) continue;
    size[r]++;
    scan[r] += labels[i];
  }
  const rowLabels = new Uint8Array(n);
  const evaluated = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    rowLabels[r] = 2 * scan[r] > size[r] ? 1 : 0;
    evaluated[r] = rows.training[r] || size[r] === 0 ? 0 : 1;
  }
  return detectionMetrics({ scores: rows.scores, flagged: rows.flagged, labels: rowLabels, evaluated });
}

/**
 * Attacking hosts, from the labels alone: in every conversation (unordered address pair) that
 * carries judged scan packets, the source of its first scan packet, i.e. the side that probed
 * (decoy addresses included: they are sources of probes; the victim, which only answers, is not).
 * IP addresses only; IPv6 neighbour discovery is left out as ARP is (the probe's solicitation
 * goes to a multicast group, so the victim's advertisement would open the pair).
 */
export function attackingHosts(decoded: DecodedCapture, labels: Uint8Array, judged: Uint8Array): Set<number> {
  const { src, dst } = decoded.columns;
  const seen = new Set<number>();
  const out = new Set<number>();
  const n = decoded.addresses.size;
  for (let i = 0; i < decoded.packets; i++) {
    if (!labels[i] || !judged[i] || !isIp(decoded, src[i]) || isNeighbourDiscovery(decoded, i)) continue;
    const key = Math.min(src[i], dst[i]) * n + Math.max(src[i], dst[i]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.add(src[i]);
  }
  return out;
}

/** ICMPv6 router and neighbour discovery (RFC 4861 types 133-137): IPv6's ARP. */
function isNeighbourDiscovery(decoded: DecodedCapture, i: number): boolean {
  const type = decoded.columns.icmpTypeCode[i] & 0xff;
  return decoded.columns.protocol[i] === PROTO.ICMPv6 && type >= 133 && type <= 137;
}

function isIp(decoded: DecodedCapture, id: number): boolean {
  const kind = decoded.addresses.kind(id);
  return kind === ADDRESS_KIND.IPV4 || kind === ADDRESS_KIND.IPV6;
}

function hostOutcome(decoded: DecodedCapture, flagged: ReadonlySet<number>, attacking: Set<number>): HostOutcome {
  const text = (ids: Iterable<number>) => [...ids].map((id) => decoded.addresses.text(id)).sort();
  const named = [...flagged].filter((id) => isIp(decoded, id));
  return {
    detected: text(named.filter((id) => attacking.has(id))),
    missed: text([...attacking].filter((id) => !flagged.has(id))),
    falselyFlagged: text(named.filter((id) => !attacking.has(id))),
  };
}

function timeToDetect(decoded: DecodedCapture, flagged: Uint8Array, truth: GroundTruth, judged: Uint8Array): Record<string, number | null> {
  const first = new Float64Array(truth.steps.length).fill(NaN);
  const detected = new Float64Array(truth.steps.length).fill(NaN);
  const time = decoded.columns.time;
  for (let i = 0; i < decoded.packets; i++) {
    const s = truth.stepOf[i];
    if (s === 0 || !truth.labels[i] || !judged[i]) continue;
    if (Number.isNaN(first[s])) first[s] = time[i];
    if (flagged[i] && Number.isNaN(detected[s])) detected[s] = time[i];
  }
  const out: Record<string, number | null> = {};
  for (let s = 1; s < truth.steps.length; s++) {
    if (Number.isNaN(first[s])) continue;
    out[truth.steps[s]] = Number.isNaN(detected[s]) ? null : Math.round((detected[s] - first[s]) * 1e6) / 1e3;
  }
  return out;
}

/** One false alarm = one (source address, minute of capture time) with flagged benign packets. */
function falseAlarms(decoded: DecodedCapture, flagged: Uint8Array, labels: Uint8Array, judged: Uint8Array): { falseAlarms: number; falseAlarmsPerHour: number | null } {
  const { src, time } = decoded.columns;
  const alarms = new Set<number>();
  let from = Infinity;
  let to = -Infinity;
  const n = decoded.addresses.size;
  for (let i = 0; i < decoded.packets; i++) {
    if (!judged[i]) continue;
    if (time[i] < from) from = time[i];
    if (time[i] > to) to = time[i];
    if (flagged[i] && !labels[i]) alarms.add(Math.floor(time[i] / 60) * n + src[i]);
  }
  const hours = (to - from) / 3600;
  return { falseAlarms: alarms.size, falseAlarmsPerHour: to - from >= 1 ? alarms.size / hours : null };
}
