// One flow's values for every column of FLOW_COLUMNS, in order, computed from its packets
// (decoded columns) and their labels. Times are microseconds; null is an empty cell (NaN).

import { TCP_FLAG } from '../capture/decode/columns.ts';
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';
import type { FlowAssembly } from './flow-assembly.ts';
import { PACKET_LABEL, type PacketLabels } from './packet-labels.ts';
import { RunningStats } from './running-stats.ts';

export type FlowValue = string | number | null;

/** CICFlowMeter's activity timeout: a longer gap is idle time. */
export const ACTIVITY_TIMEOUT_US = 5_000_000;
/** CICFlowMeter's subflow and bulk gap. */
const SUBFLOW_GAP_US = 1_000_000;
const BULK_MIN_PACKETS = 4;

/** CICFlowMeter's bulk rule for one direction (BasicFlow.updateForwardBulk). */
class BulkCounter {
  private startHelper = 0;
  private packetHelper = 0;
  private sizeHelper = 0;
  last = 0;
  bulks = 0;
  packets = 0;
  bytes = 0;
  duration = 0;

  reset(): void {
    this.startHelper = this.packetHelper = this.sizeHelper = this.last = 0;
    this.bulks = this.packets = this.bytes = this.duration = 0;
  }

  /** A data packet of this direction at time t (µs, > 0); `otherLast` is the other side's last bulk packet time. */
  add(t: number, size: number, otherLast: number): void {
    if (otherLast > this.startHelper) this.startHelper = 0;
    if (size <= 0) return;
    if (this.startHelper === 0 || t - this.last > SUBFLOW_GAP_US) {
      this.startHelper = t;
      this.packetHelper = 1;
      this.sizeHelper = size;
    } else {
      this.packetHelper++;
      this.sizeHelper += size;
      if (this.packetHelper === BULK_MIN_PACKETS) {
        this.bulks++;
        this.packets += this.packetHelper;
        this.bytes += this.sizeHelper;
        this.duration += t - this.startHelper;
      } else if (this.packetHelper > BULK_MIN_PACKETS) {
        this.packets++;
        this.bytes += size;
        this.duration += t - this.last;
      }
    }
    this.last = t;
  }

  values(): [number, number, number] {
    if (this.bulks === 0) return [0, 0, 0];
    return [this.bytes / this.bulks, this.packets / this.bulks, this.duration > 0 ? this.bytes / (this.duration / 1e6) : 0];
  }
}

/** Computes rows one flow at a time with reused accumulators: no per-packet allocation. */
export class FlowValues {
  private readonly s = {
    fwdLen: new RunningStats(), bwdLen: new RunningStats(), allLen: new RunningStats(),
    flowIat: new RunningStats(), fwdIat: new RunningStats(), bwdIat: new RunningStats(),
    active: new RunningStats(), idle: new RunningStats(),
  };
  private readonly fwdBulk = new BulkCounter();
  private readonly bwdBulk = new BulkCounter();

  constructor(
    private readonly decoded: DecodedCapture,
    private readonly flows: FlowAssembly,
    private readonly labels: PacketLabels | null,
  ) {}

  row(f: number): FlowValue[] {
    const { columns: c, addresses } = this.decoded;
    const s = this.s;
    for (const k of Object.values(s)) k.reset();
    this.fwdBulk.reset();
    this.bwdBulk.reset();
    const first = this.flows.firstPacket[f];
    const fwdAddr = c.src[first], fwdPort = c.srcPort[first];
    const isTcp = c.ipProto[first] === 6;
    const t0 = c.time[first];
    // Times relative to the flow's first packet in µs, rounded to the ns the capture holds (no float
    // noise in durations and gaps), offset by 1 so that 0 can mean "none" in the bulk helpers.
    const us = (p: number) => Math.round((c.time[p] - t0) * 1e9) / 1e3 + 1;
    let fwdHeader = 0, bwdHeader = 0, fwdPsh = 0, bwdPsh = 0, fwdUrg = 0, bwdUrg = 0;
    let fin = 0, syn = 0, rst = 0, psh = 0, ack = 0, urg = 0, cwr = 0, ece = 0;
    let initWinFwd = isTcp ? c.tcpWindow[first] : -1, initWinBwd = -1;
    let actDataFwd = 0, minSegFwd = Infinity, subflows = 1;
    let scan = 0, benign = 0;
    const steps: number[] = [];
    let prev = 0, prevFwd = -1, prevBwd = -1, activeStart = 0;
    const { packetsInFlow, start } = this.flows;
    for (let k = start[f]; k < start[f + 1]; k++) {
      const p = packetsInFlow[k];
      const t = us(p);
      const len = c.payloadLen[p];
      const fwd = c.src[p] === fwdAddr && c.srcPort[p] === fwdPort;
      const flags = c.tcpFlags[p];
      s.allLen.add(len);
      if (k > start[f]) {
        const gap = t - prev;
        s.flowIat.add(gap);
        if (gap > SUBFLOW_GAP_US) subflows++;
        if (gap > ACTIVITY_TIMEOUT_US) {
          if (prev - activeStart > 0) s.active.add(prev - activeStart);
          s.idle.add(gap);
          activeStart = t;
        }
      } else activeStart = t;
      prev = t;
      if (fwd) {
        s.fwdLen.add(len);
        if (prevFwd >= 0) s.fwdIat.add(t - prevFwd);
        prevFwd = t;
        fwdHeader += c.l4HeaderLen[p];
        if (c.l4HeaderLen[p] < minSegFwd) minSegFwd = c.l4HeaderLen[p];
        if (flags & TCP_FLAG.PSH) fwdPsh++;
        if (flags & TCP_FLAG.URG) fwdUrg++;
        if (len > 0) actDataFwd++;
        this.fwdBulk.add(t, len, this.bwdBulk.last);
      } else {
        s.bwdLen.add(len);
        if (prevBwd >= 0) s.bwdIat.add(t - prevBwd);
        else if (isTcp) initWinBwd = c.tcpWindow[p];
        prevBwd = t;
        bwdHeader += c.l4HeaderLen[p];
        if (flags & TCP_FLAG.PSH) bwdPsh++;
        if (flags & TCP_FLAG.URG) bwdUrg++;
        this.bwdBulk.add(t, len, this.fwdBulk.last);
      }
      if (flags & TCP_FLAG.FIN) fin++;
      if (flags & TCP_FLAG.SYN) syn++;
      if (flags & TCP_FLAG.RST) rst++;
      if (flags & TCP_FLAG.PSH) psh++;
      if (flags & TCP_FLAG.ACK) ack++;
      if (flags & TCP_FLAG.URG) urg++;
      if (flags & TCP_FLAG.CWR) cwr++;
      if (flags & TCP_FLAG.ECE) ece++;
      if (this.labels) {
        const l = this.labels.label[p];
        if (l === PACKET_LABEL.SCAN) {
          scan++;
          const st = this.labels.step[p];
          if (st && !steps.includes(st)) steps.push(st);
        } else if (l === PACKET_LABEL.BENIGN) benign++;
      }
    }
    if (prev - activeStart > 0) s.active.add(prev - activeStart);
    const duration = prev - 1;
    const seconds = duration / 1e6;
    const perSecond = (x: number) => (seconds > 0 ? x / seconds : null);
    const fwdN = s.fwdLen.n, bwdN = s.bwdLen.n;
    const src = addresses.text(fwdAddr), dst = addresses.text(c.dst[first]);
    const proto = c.ipVersion[first] ? c.ipProto[first] : 0;
    const dstPort = c.dstPort[first];
    const stat4 = (r: RunningStats) => [r.max, r.min, r.mean, r.std];
    const iat4 = (r: RunningStats) => [r.mean, r.std, r.max, r.min];
    const activeIdle = (r: RunningStats) => [r.mean, r.std, r.max, r.min];
    const label = !this.labels ? '' : scan > 0 ? 'scan' : benign > 0 ? 'benign' : '';
    return [
      `${src}-${dst}-${fwdPort}-${dstPort}-${proto}`, src, fwdPort, dst, dstPort, proto,
      timestamp(this.decoded.start, t0),
      duration, fwdN, bwdN, s.fwdLen.sum, s.bwdLen.sum,
      ...stat4(s.fwdLen), ...stat4(s.bwdLen),
      perSecond(s.allLen.sum), perSecond(s.allLen.n),
      ...iat4(s.flowIat),
      s.fwdIat.sum, ...iat4(s.fwdIat),
      s.bwdIat.sum, ...iat4(s.bwdIat),
      fwdPsh, bwdPsh, fwdUrg, bwdUrg, fwdHeader, bwdHeader,
      perSecond(fwdN), perSecond(bwdN),
      s.allLen.min, s.allLen.max, s.allLen.mean, s.allLen.std, s.allLen.variance,
      fin, syn, rst, psh, ack, urg, cwr, ece,
      bwdN / fwdN, s.allLen.sum / s.allLen.n, s.fwdLen.mean, s.bwdLen.mean,
      fwdHeader,
      ...this.fwdBulk.values(), ...this.bwdBulk.values(),
      fwdN / subflows, s.fwdLen.sum / subflows, bwdN / subflows, s.bwdLen.sum / subflows,
      initWinFwd, initWinBwd, actDataFwd, minSegFwd,
      ...activeIdle(s.active), ...activeIdle(s.idle),
      label, this.labels ? scan : null, this.labels ? benign : null,
      steps.map((st) => this.labels!.steps[st - 1]).join(';'),
      first + 1,
    ];
  }
}

/** ISO 8601 UTC with microseconds of the capture's start plus `rel` seconds. */
function timestamp(start: { sec: number; nsec: number }, rel: number): string {
  const totalUs = Math.round(start.nsec / 1000 + rel * 1e6);
  const sec = start.sec + Math.floor(totalUs / 1e6);
  const us = totalUs - Math.floor(totalUs / 1e6) * 1e6;
  return `${new Date(sec * 1000).toISOString().slice(0, 19)}.${String(us).padStart(6, '0')}Z`;
}
