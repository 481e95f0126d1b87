// One flow's values for every column of FLOW_COLUMNS, in order, computed from its packets
// (decoded columns) and their labels, one packet at a time. Times are microseconds; null is an empty cell (NaN).

import { TCP_FLAG } from '../capture/decode/columns.ts';
import type { PacketColumns } from '../capture/decode/columns.ts';
import type { AddressTable } from '../capture/decode/address-table.ts';
import { PACKET_LABEL } from './packet-labels.ts';
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

/** Step names of the labels, for a row's attack steps; null without labels. */
export type FlowLabelSteps = { readonly steps: readonly string[] } | null;

/**
 * One flow's running values: fed its packets in capture order (`add`), then turned into its row.
 * The same code serves a flow assembled over the whole capture and one assembled while the capture
 * streams past (flow-stream.ts), so both give the same row.
 */
export class FlowAccumulator {
  private readonly s = {
    fwdLen: new RunningStats(), bwdLen: new RunningStats(), allLen: new RunningStats(),
    flowIat: new RunningStats(), fwdIat: new RunningStats(), bwdIat: new RunningStats(),
    active: new RunningStats(), idle: new RunningStats(),
  };
  private readonly fwdBulk = new BulkCounter();
  private readonly bwdBulk = new BulkCounter();
  /** Packet index (0-based) of the first packet, which fixes the forward direction. */
  readonly first: number;
  readonly fwdAddr: number;
  readonly fwdPort: number;
  private readonly dstAddr: number;
  private readonly dstPort: number;
  private readonly proto: number;
  private readonly isTcp: boolean;
  /** Time of the first packet, seconds since the capture's first. */
  readonly t0: number;
  private packets = 0;
  private fwdHeader = 0; private bwdHeader = 0; private fwdPsh = 0; private bwdPsh = 0; private fwdUrg = 0; private bwdUrg = 0;
  private fin = 0; private syn = 0; private rst = 0; private psh = 0; private ack = 0; private urg = 0; private cwr = 0; private ece = 0;
  private initWinFwd: number; private initWinBwd = -1;
  private actDataFwd = 0; private minSegFwd = Infinity; private subflows = 1;
  private scan = 0; private benign = 0;
  private readonly steps: number[] = [];
  private prev = 0; private prevFwd = -1; private prevBwd = -1; private activeStart = 0;

  /** Starts the flow at packet `index`, whose fields are at slot `j` of `c`. */
  constructor(c: PacketColumns, j: number, index: number) {
    this.first = index;
    this.fwdAddr = c.src[j];
    this.fwdPort = c.srcPort[j];
    this.dstAddr = c.dst[j];
    this.dstPort = c.dstPort[j];
    this.proto = c.ipVersion[j] ? c.ipProto[j] : 0;
    this.isTcp = c.ipProto[j] === 6;
    this.t0 = c.time[j];
    this.initWinFwd = this.isTcp ? c.tcpWindow[j] : -1;
  }

  /** Adds the packet at slot `j` of `c`, with its label (PACKET_LABEL, NONE without labels) and step id. */
  add(c: PacketColumns, j: number, label: number, step: number): void {
    const s = this.s;
    // Times relative to the flow's first packet in µs, rounded to the ns the capture holds (no float
    // noise in durations and gaps), offset by 1 so that 0 can mean "none" in the bulk helpers.
    const t = Math.round((c.time[j] - this.t0) * 1e9) / 1e3 + 1;
    const len = c.payloadLen[j];
    const fwd = c.src[j] === this.fwdAddr && c.srcPort[j] === this.fwdPort;
    const flags = c.tcpFlags[j];
    s.allLen.add(len);
    if (this.packets > 0) {
      const gap = t - this.prev;
      s.flowIat.add(gap);
      if (gap > SUBFLOW_GAP_US) this.subflows++;
      if (gap > ACTIVITY_TIMEOUT_US) {
        if (this.prev - this.activeStart > 0) s.active.add(this.prev - this.activeStart);
        s.idle.add(gap);
        this.activeStart = t;
      }
    } else this.activeStart = t;
    this.packets++;
    this.prev = t;
    const l4 = c.l4HeaderLen[j];
    if (fwd) {
      s.fwdLen.add(len);
      if (this.prevFwd >= 0) s.fwdIat.add(t - this.prevFwd);
      this.prevFwd = t;
      this.fwdHeader += l4;
      if (l4 < this.minSegFwd) this.minSegFwd = l4;
      if (flags & TCP_FLAG.PSH) this.fwdPsh++;
      if (flags & TCP_FLAG.URG) this.fwdUrg++;
      if (len > 0) this.actDataFwd++;
      this.fwdBulk.add(t, len, this.bwdBulk.last);
    } else {
      s.bwdLen.add(len);
      if (this.prevBwd >= 0) s.bwdIat.add(t - this.prevBwd);
      else if (this.isTcp) this.initWinBwd = c.tcpWindow[j];
      this.prevBwd = t;
      this.bwdHeader += l4;
      if (flags & TCP_FLAG.PSH) this.bwdPsh++;
      if (flags & TCP_FLAG.URG) this.bwdUrg++;
      this.bwdBulk.add(t, len, this.fwdBulk.last);
    }
    if (flags & TCP_FLAG.FIN) this.fin++;
    if (flags & TCP_FLAG.SYN) this.syn++;
    if (flags & TCP_FLAG.RST) this.rst++;
    if (flags & TCP_FLAG.PSH) this.psh++;
    if (flags & TCP_FLAG.ACK) this.ack++;
    if (flags & TCP_FLAG.URG) this.urg++;
    if (flags & TCP_FLAG.CWR) this.cwr++;
    if (flags & TCP_FLAG.ECE) this.ece++;
    if (label === PACKET_LABEL.SCAN) {
      this.scan++;
      if (step && !this.steps.includes(step)) this.steps.push(step);
    } else if (label === PACKET_LABEL.BENIGN) this.benign++;
  }

  /** The flow's row in FLOW_COLUMNS order. */
  row(addresses: AddressTable, start: { sec: number; nsec: number }, labels: FlowLabelSteps): FlowValue[] {
    const s = this.s;
    if (this.prev - this.activeStart > 0) s.active.add(this.prev - this.activeStart);
    const duration = this.prev - 1;
    const seconds = duration / 1e6;
    const perSecond = (x: number) => (seconds > 0 ? x / seconds : null);
    const fwdN = s.fwdLen.n, bwdN = s.bwdLen.n;
    const src = addresses.text(this.fwdAddr), dst = addresses.text(this.dstAddr);
    const { proto, dstPort, fwdPort, fwdHeader, subflows } = this;
    const stat4 = (r: RunningStats) => [r.max, r.min, r.mean, r.std];
    const iat4 = (r: RunningStats) => [r.mean, r.std, r.max, r.min];
    const activeIdle = (r: RunningStats) => [r.mean, r.std, r.max, r.min];
    const label = !labels ? '' : this.scan > 0 ? 'scan' : this.benign > 0 ? 'benign' : '';
    return [
      `${src}-${dst}-${fwdPort}-${dstPort}-${proto}`, src, fwdPort, dst, dstPort, proto,
      timestamp(start, this.t0),
      duration, fwdN, bwdN, s.fwdLen.sum, s.bwdLen.sum,
      ...stat4(s.fwdLen), ...stat4(s.bwdLen),
      perSecond(s.allLen.sum), perSecond(s.allLen.n),
      ...iat4(s.flowIat),
      s.fwdIat.sum, ...iat4(s.fwdIat),
      s.bwdIat.sum, ...iat4(s.bwdIat),
      this.fwdPsh, this.bwdPsh, this.fwdUrg, this.bwdUrg, fwdHeader, this.bwdHeader,
      perSecond(fwdN), perSecond(bwdN),
      s.allLen.min, s.allLen.max, s.allLen.mean, s.allLen.std, s.allLen.variance,
      this.fin, this.syn, this.rst, this.psh, this.ack, this.urg, this.cwr, this.ece,
      bwdN / fwdN, s.allLen.sum / s.allLen.n, s.fwdLen.mean, s.bwdLen.mean,
      fwdHeader,
      ...this.fwdBulk.values(), ...this.bwdBulk.values(),
      fwdN / subflows, s.fwdLen.sum / subflows, bwdN / subflows, s.bwdLen.sum / subflows,
      this.initWinFwd, this.initWinBwd, this.actDataFwd, this.minSegFwd,
      ...activeIdle(s.active), ...activeIdle(s.idle),
      label, labels ? this.scan : null, labels ? this.benign : null,
      this.steps.map((st) => labels!.steps[st - 1]).join(';'),
      this.first + 1,
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
