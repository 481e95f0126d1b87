// An external detector's alerts turned into a Detection, the shape every built-in detector hands
// to scoring: a score and a decision per packet and the hosts it names. How an alert covers
// packets follows from what it carries:
//   packetNo                  that packet (scanlab-csv `no`, Suricata `pcap_cnt`)
//   flowId + tuple + time     every packet of the flow's 5-tuple, both directions, from its first
//                             alert to its last (within the tolerance)
//   tuple + time              the packets from src to dst (ports and protocol when given) within
//                             the tolerance of the time
//   hostLevel src + time      derived: every packet the host sent or received from the alert time
//                             (minus the tolerance) on (Zeek scan notices, p0f)
// A packet's score is the highest score of the alerts that cover it (an alert without one counts
// 1); packets no alert covers score below every alert. Hosts: a host-level alert's host; for the
// other alerts, the host that started the conversation (first packet of the address pair) of each
// flagged packet, as the row detectors name the host that started a flagged row.
import type { DecodedCapture } from '../../capture/decode/decode-capture.ts';
import type { Detection } from '../detector.ts';
import { UserError } from '../../errors.ts';
import type { ExternalAlert } from './alert.ts';

const PROTO_NUMBERS: Record<string, number> = { icmp: 1, tcp: 6, udp: 17, icmpv6: 58, sctp: 132, gre: 47, esp: 50 };

export interface MatchOptions {
  /** Tolerance for alerts that carry none of their own, seconds. */
  readonly toleranceSeconds: number;
  /** How the detector ran, for `rule`: "command `...`, format suricata-eve". */
  readonly describe: string;
}

export function alertsToDetection(decoded: DecodedCapture, alerts: readonly ExternalAlert[], options: MatchOptions): Detection {
  const n = decoded.packets;
  const { src, dst, srcPort, dstPort, ipProto, time } = decoded.columns;
  // Alert times relative to the first packet, as the columns hold them (the subtraction in whole
  // seconds first keeps sub-microsecond precision).
  const rel = (t: number) => t - decoded.start.sec - decoded.start.nsec / 1e9;
  const flagged = new Uint8Array(n);
  const covered = new Float64Array(n).fill(NaN);
  const hosts = new Set<number>();
  const kinds = { packet: 0, flow: 0, event: 0, host: 0, skipped: 0, notFlagged: 0 };
  let minScore = Infinity;
  const cover = (i: number, score: number, flag: boolean) => {
    if (!(covered[i] >= score)) covered[i] = score;
    if (flag) flagged[i] = 1;
  };
  const pairs = new PairIndex(decoded);
  const flows = new Map<string, { alert: ExternalAlert; from: number; to: number; score: number }>();
  const hostFrom = new Map<number, { from: number; score: number; flag: boolean }>();

  for (const a of alerts) {
    const score = a.score ?? 1;
    const flag = a.flagged !== false;
    if (!flag) kinds.notFlagged++;
    if (score < minScore) minScore = score;
    const tol = a.timeTolerance ?? options.toleranceSeconds;
    if (a.hostLevel) {
      const id = a.src === undefined ? undefined : decoded.addresses.lookup(a.src);
      if (id === undefined || a.time === undefined) { kinds.skipped++; continue; }
      const from = rel(a.time) - tol;
      const h = hostFrom.get(id);
      hostFrom.set(id, { from: Math.min(h?.from ?? Infinity, from), score: Math.max(h?.score ?? -Infinity, score), flag: flag || (h?.flag ?? false) });
      if (flag) hosts.add(id);
      kinds.host++;
    } else if (a.packetNo !== undefined) {
      if (a.packetNo > n) throw new UserError(`${a.where ?? 'an alert'}: packet ${a.packetNo} is beyond the capture's ${n} packets`, 'the detector must number packets as they are in {pcap}, from 1');
      cover(a.packetNo - 1, score, flag);
      kinds.packet++;
    } else if (a.time !== undefined && a.src !== undefined && a.dst !== undefined) {
      const s = decoded.addresses.lookup(a.src);
      const d = decoded.addresses.lookup(a.dst);
      if (s === undefined || d === undefined) { kinds.skipped++; continue; }
      const proto = a.proto === undefined ? undefined : PROTO_NUMBERS[a.proto];
      const t = rel(a.time);
      if (a.flowId !== undefined) {
        const key = `${a.flowId}`;
        const f = flows.get(key);
        flows.set(key, { alert: f?.alert ?? a, from: Math.min(f?.from ?? Infinity, t - tol), to: Math.max(f?.to ?? -Infinity, t + tol), score: Math.max(f?.score ?? -Infinity, score) });
        kinds.flow++;
        continue;
      }
      for (const i of pairs.between(s, d, t - tol, t + tol)) {
        if (a.sport !== undefined && srcPort[i] !== a.sport) continue;
        if (a.dport !== undefined && dstPort[i] !== a.dport) continue;
        if (proto !== undefined && ipProto[i] !== proto) continue;
        cover(i, score, flag);
      }
      kinds.event++;
    } else {
      kinds.skipped++;
    }
  }
  for (const { alert: a, from, to, score } of flows.values()) {
    const s = decoded.addresses.lookup(a.src!)!;
    const d = decoded.addresses.lookup(a.dst!)!;
    const proto = a.proto === undefined ? undefined : PROTO_NUMBERS[a.proto];
    for (const [x, y, xp, yp] of [[s, d, a.sport, a.dport], [d, s, a.dport, a.sport]] as const) {
      for (const i of pairs.between(x, y, from, to)) {
        if (xp !== undefined && srcPort[i] !== xp) continue;
        if (yp !== undefined && dstPort[i] !== yp) continue;
        if (proto !== undefined && ipProto[i] !== proto) continue;
        cover(i, score, true);
      }
    }
  }
  if (hostFrom.size > 0) {
    for (let i = 0; i < n; i++) {
      const a = hostFrom.get(src[i]);
      const b = hostFrom.get(dst[i]);
      const h = a && b ? (b.from < a.from ? b : a) : (a ?? b);
      if (h && time[i] >= h.from) cover(i, h.score, h.flag);
    }
  }
  const below = Number.isFinite(minScore) ? Math.min(0, minScore - 1) : 0;
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = Number.isNaN(covered[i]) ? below : covered[i];
  // Packet-level alerts name the host that started each flagged packet's conversation.
  if (kinds.packet + kinds.event + kinds.flow > 0) {
    const starter = pairs.starters();
    for (let i = 0; i < n; i++) if (flagged[i] && src[i] !== 0) hosts.add(starter.get(pairs.key(src[i], dst[i]))!);
  }
  const notes: string[] = [];
  if (kinds.host > 0) notes.push(`packet scores derived from ${kinds.host} host-level alert(s): every packet a named host sent or received from its first alert (minus ${options.toleranceSeconds} s) on is flagged`);
  if (kinds.skipped > 0) notes.push(`${kinds.skipped} alert(s) named no packet, flow or host of this capture and were left out`);
  if (alerts.length === 0) notes.push('no alerts: nothing flagged');
  const parts = [
    kinds.packet && `${kinds.packet} per packet`,
    kinds.flow && `${kinds.flow} per flow (${flows.size} flows)`,
    kinds.event && `${kinds.event} per event (5-tuple within ${options.toleranceSeconds} s)`,
    kinds.host && `${kinds.host} per host`,
  ].filter(Boolean);
  return {
    scores,
    flagged,
    hosts,
    rows: null,
    rule: `${options.describe}; ${alerts.length} alert line(s)${parts.length ? `: ${parts.join(', ')}` : ''}${kinds.notFlagged ? ` (${kinds.notFlagged} scored but not flagged)` : ''}`,
    threshold: null,
    notes,
  };
}

/** Packets by directed address pair, sorted by time, for the time-window lookups. */
class PairIndex {
  private readonly byPair = new Map<number, number[]>();
  private readonly size: number;
  constructor(private readonly decoded: DecodedCapture) {
    this.size = decoded.addresses.size;
    const { src, dst, time } = decoded.columns;
    for (let i = 0; i < decoded.packets; i++) {
      const k = src[i] * this.size + dst[i];
      let list = this.byPair.get(k);
      if (!list) this.byPair.set(k, (list = []));
      list.push(i);
    }
    for (const list of this.byPair.values()) list.sort((a, b) => time[a] - time[b] || a - b);
  }

  /** Packets from s to d with from <= time <= to. */
  *between(s: number, d: number, from: number, to: number): Generator<number> {
    const list = this.byPair.get(s * this.size + d);
    if (!list) return;
    const time = this.decoded.columns.time;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (time[list[mid]] < from) lo = mid + 1;
      else hi = mid;
    }
    for (let j = lo; j < list.length && time[list[j]] <= to; j++) yield list[j];
  }

  /** Unordered pair key. */
  key(a: number, b: number): number {
    return Math.min(a, b) * this.size + Math.max(a, b);
  }

  /** Per unordered pair, the source of its first packet. */
  starters(): Map<number, number> {
    const { src, dst } = this.decoded.columns;
    const out = new Map<number, number>();
    for (let i = 0; i < this.decoded.packets; i++) {
      const k = this.key(src[i], dst[i]);
      if (!out.has(k)) out.set(k, src[i]);
    }
    return out;
  }
}
