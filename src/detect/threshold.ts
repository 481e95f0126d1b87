// Threshold scan detector after Zeek's scan policy (policy/misc/scan.zeek): a source is a scanner
// when, within one 5-minute epoch, its failed connection attempts reach 15 distinct ports of one
// host (port scan) or 25 distinct hosts on one port (address scan). Zeek counts unsuccessful
// attempts only (connection_attempt/rejected/reset events), and so does this detector by default;
// epochs are fixed windows from the capture's first packet, as Zeek's SumStats epochs are.
// Prediction: every packet to or from a scanner within an epoch in which it crossed a threshold.
import { connectionAttempts, type ConnectionAttempts, type DecodedPackets } from './connections.ts';

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

/** Per packet 1 = predicted scan. */
export function thresholdDetector(decoded: DecodedPackets, options: Partial<ThresholdOptions> = {}, attempts?: ConnectionAttempts): Uint8Array {
  const o = { ...ZEEK_THRESHOLDS, ...options };
  const a = attempts ?? connectionAttempts(decoded);
  const flagged = thresholdScanners(a, o);
  const c = decoded.columns;
  const out = new Uint8Array(decoded.packets);
  if (flagged.size === 0) return out;
  for (let i = 0; i < decoded.packets; i++) {
    const epoch = Math.floor(c.time[i] / o.windowSeconds);
    if (flagged.has(`${c.src[i]}@${epoch}`) || flagged.has(`${c.dst[i]}@${epoch}`)) out[i] = 1;
  }
  return out;
}

/** `${address id}@${epoch}` for every source that crossed a threshold in that epoch. */
export function thresholdScanners(a: ConnectionAttempts, o: ThresholdOptions): Set<string> {
  const portsOfHost = new Map<string, Set<string>>();
  const hostsOnPort = new Map<string, Set<number>>();
  const flagged = new Set<string>();
  for (let k = 0; k < a.count; k++) {
    if (o.failedOnly && a.success[k]) continue;
    const who = `${a.initiator[k]}@${Math.floor(a.start[k] / o.windowSeconds)}`;
    if (flagged.has(who)) continue;
    const service = `${a.ipProto[k]}/${a.port[k]}`;
    const ports = setIn(portsOfHost, `${who}>${a.responder[k]}`, () => new Set<string>());
    ports.add(service);
    const hosts = setIn(hostsOnPort, `${who}>${service}`, () => new Set<number>());
    hosts.add(a.responder[k]);
    if (ports.size >= o.portThreshold || hosts.size >= o.hostThreshold) flagged.add(who);
  }
  return flagged;
}

function setIn<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}
