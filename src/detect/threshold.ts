// Threshold scan detector after Zeek's scan policy (policy/misc/scan.zeek): a source is a scanner
// when, within one 5-minute epoch, its failed connection attempts reach 15 distinct ports of one
// host (port scan) or 25 distinct hosts on one port (address scan). Zeek counts unsuccessful
// attempts only (connection_attempt/rejected/reset events), and so does this detector by default;
// epochs are fixed windows from the capture's first packet, as Zeek's SumStats epochs are.
// Prediction: every packet to or from a scanner within an epoch in which it crossed a threshold.
// Score: for each endpoint of a packet, how far its source crossed toward a threshold in that
// epoch (distinct ports / 15 or distinct hosts / 25, whichever is higher), the higher endpoint's;
// a packet is flagged exactly when its score is >= 1. The thresholds are Zeek's defaults, never
// fitted to any capture.
import { connectionAttempts, type ConnectionAttempts, type DecodedPackets } from './connections.ts';
import type { BaselineDetection } from './baseline-detection.ts';

export interface ThresholdOptions {
  /** Distinct ports of one host (Zeek's port_scan_threshold). */
  readonly portThreshold: number;
  /** Distinct hosts on one port (Zeek's addr_scan_threshold). */
  readonly hostThreshold: number;
  /** Epoch length in seconds (Zeek's port_scan_interval / addr_scan_interval). */
  readonly windowSeconds: number;
  /** Count failed attempts only, as Zeek does; false counts every attempt. */
  readonly failedOnly: boolean;
}

export const ZEEK_THRESHOLDS: ThresholdOptions = { portThreshold: 15, hostThreshold: 25, windowSeconds: 300, failedOnly: true };

/** Per packet: score, decision (score >= 1) and the scanners' address ids. */
export function thresholdDetector(decoded: DecodedPackets, options: Partial<ThresholdOptions> = {}, attempts?: ConnectionAttempts): BaselineDetection {
  const o = { ...ZEEK_THRESHOLDS, ...options };
  const a = attempts ?? connectionAttempts(decoded);
  const ratio = thresholdRatios(a, o);
  const c = decoded.columns;
  const scores = new Float64Array(decoded.packets);
  const flagged = new Uint8Array(decoded.packets);
  const hosts = new Set<number>();
  for (const [who, r] of ratio) if (r >= 1) hosts.add(Number(who.slice(0, who.indexOf('@'))));
  if (ratio.size === 0) return { scores, flagged, hosts };
  for (let i = 0; i < decoded.packets; i++) {
    const epoch = Math.floor(c.time[i] / o.windowSeconds);
    const score = Math.max(ratio.get(`${c.src[i]}@${epoch}`) ?? 0, ratio.get(`${c.dst[i]}@${epoch}`) ?? 0);
    scores[i] = score;
    if (score >= 1) flagged[i] = 1;
  }
  return { scores, flagged, hosts };
}

/**
 * `${address id}@${epoch}` -> the larger of (most distinct ports of one host / port threshold) and
 * (most distinct hosts on one port / host threshold) that source reached in that epoch.
 */
export function thresholdRatios(a: ConnectionAttempts, o: ThresholdOptions, counts: ThresholdCounts = newThresholdCounts()): Map<string, number> {
  const { portsOfHost, hostsOnPort, ratio } = counts;
  for (let k = 0; k < a.count; k++) {
    if (o.failedOnly && a.success[k]) continue;
    const who = `${a.initiator[k]}@${Math.floor(a.start[k] / o.windowSeconds)}`;
    const service = `${a.ipProto[k]}/${a.port[k]}`;
    const ports = setIn(portsOfHost, `${who}>${a.responder[k]}`, () => new Set<string>());
    ports.add(service);
    const hosts = setIn(hostsOnPort, `${who}>${service}`, () => new Set<number>());
    hosts.add(a.responder[k]);
    const r = Math.max(ports.size / o.portThreshold, hosts.size / o.hostThreshold);
    if (r > (ratio.get(who) ?? 0)) ratio.set(who, r);
  }
  return ratio;
}

/** What thresholdRatios has counted: pass the same one again to add attempts (live detection). */
export interface ThresholdCounts {
  readonly portsOfHost: Map<string, Set<string>>;
  readonly hostsOnPort: Map<string, Set<number>>;
  readonly ratio: Map<string, number>;
}

export function newThresholdCounts(): ThresholdCounts {
  return { portsOfHost: new Map(), hostsOnPort: new Map(), ratio: new Map() };
}

function setIn<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}
