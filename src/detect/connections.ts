// Connection attempts and their outcomes, the input of the baseline scan detectors (offline and
// online). In file order:
// - TCP: a SYN without ACK opens an attempt (initiator = its source; a retransmitted SYN while the
//   attempt is pending is the same attempt). A SYN-ACK back makes it a success; a RST back, an
//   ICMP unreachable to the initiator, or no answer by the end of the capture makes it a failure.
// - UDP: the first packet of a 5-tuple opens an attempt; any packet back on the same tuple is a
//   success; an ICMP unreachable or no answer is a failure.
// - ICMP/ICMPv6 echo request: an echo reply back is a success; unreachable or silence a failure.
// ICMP unreachables are matched to the initiator's latest pending attempt toward the host that sent
// the error (the quoted header's ports are not among the decoded columns); on one lab segment the
// sender of the error is the target itself. Packets to broadcast/multicast addresses, non-IP frames
// and TCP segments of connections whose SYN the capture missed open no attempt.
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';
import { TCP_FLAG, type ColumnName } from '../capture/decode/columns.ts';
import { ADDRESS_KIND } from '../capture/decode/address-table.ts';

/** The columns connectionAttempts reads. */
export const ATTEMPT_COLUMNS = ['time', 'src', 'dst', 'srcPort', 'dstPort', 'ipVersion', 'ipProto', 'tcpFlags', 'icmpTypeCode'] as const satisfies readonly ColumnName[];

/** What the detectors read: the columns and the address table. */
export type DecodedPackets = Pick<DecodedCapture, 'packets' | 'columns' | 'addresses'>;

export interface ConnectionAttempts {
  readonly count: number;
  /** Address id of the side that opened the attempt. */
  readonly initiator: Uint32Array;
  readonly responder: Uint32Array;
  /** 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6. */
  readonly ipProto: Uint8Array;
  /** Responder's port (0 for ICMP echo). */
  readonly port: Uint16Array;
  /** Time of the attempt's first packet, seconds since the capture's first packet. */
  readonly start: Float64Array;
  /** 1 success, 0 failure. */
  readonly success: Uint8Array;
}

/** One attempt, as the trackers report it. */
export interface ConnectionAttempt {
  readonly initiator: number;
  readonly responder: number;
  readonly ipProto: number;
  readonly port: number;
  readonly start: number;
  readonly success: 0 | 1;
}

/** An attempt the moment it resolved: `resolvedAt` is the time of the packet that settled it (capture seconds). */
export interface ResolvedAttempt extends ConnectionAttempt {
  readonly resolvedAt: number;
}

export interface TrackerOptions {
  /**
   * Seconds of packet time an attempt may stay unanswered; after that it fails (and an answer that
   * comes later no longer counts). Infinity (the default) waits for the end of the capture.
   */
  readonly timeoutSeconds?: number;
  /** Called as each attempt resolves, in the order they resolve. */
  readonly onResolved?: (attempt: ResolvedAttempt) => void;
}

const PENDING = 2;
const TCP = 6;
const UDP = 17;
const ICMP = 1;
const ICMPV6 = 58;

/** All attempts of the capture, in order of their first packet; unanswered ones failed at its end. */
export function connectionAttempts(decoded: DecodedPackets): ConnectionAttempts {
  const tracker = new ConnectionTracker();
  tracker.consume(decoded);
  tracker.finish();
  return tracker.attempts();
}

/**
 * The rules above, fed packets as they come (in file order, a range at a time) and reporting each
 * attempt as it resolves. Packet time is the newest packet time consumed so far.
 */
export class ConnectionTracker {
  private readonly initiator: number[] = [];
  private readonly responder: number[] = [];
  private readonly proto: number[] = [];
  private readonly port: number[] = [];
  private readonly start: number[] = [];
  private readonly outcome: number[] = [];
  /** Directional key (initiator side first) -> attempt id. */
  private readonly byKey = new Map<string, number>();
  /** `${initiator}>${responder}` -> latest attempt id, for ICMP errors. */
  private readonly latest = new Map<string, number>();
  /** Attempt ids in the order they opened, from `head` on possibly still pending (with a timeout only). */
  private readonly opened: number[] = [];
  private head = 0;
  private now = -Infinity;
  private readonly timeoutSeconds: number;
  private readonly onResolved?: (attempt: ResolvedAttempt) => void;
  private group?: (id: number) => boolean;

  constructor(options: TrackerOptions = {}) {
    this.timeoutSeconds = options.timeoutSeconds ?? Infinity;
    this.onResolved = options.onResolved;
  }

  /** Packets [from, to) of `decoded`, which holds every packet consumed before them too. */
  consume(decoded: DecodedPackets, from = 0, to = decoded.packets): void {
    const c = decoded.columns;
    // Address ids are stable as the address table grows, so one cache serves every range.
    this.group ??= groupAddressTest(decoded.addresses);
    const group = this.group;
    const timed = Number.isFinite(this.timeoutSeconds);
    for (let i = from; i < to; i++) {
      if (c.time[i] > this.now) this.now = c.time[i];
      if (timed) this.expire();
      if (c.ipVersion[i] === 0 || c.src[i] === 0 || c.dst[i] === 0) continue;
      const p = c.ipProto[i];
      const s = c.src[i];
      const d = c.dst[i];
      if (p === TCP) {
        const flags = c.tcpFlags[i];
        const fwd = `t${s}:${c.srcPort[i]}>${d}:${c.dstPort[i]}`;
        const back = `t${d}:${c.dstPort[i]}>${s}:${c.srcPort[i]}`;
        if (flags & TCP_FLAG.SYN && !(flags & TCP_FLAG.ACK)) {
          if (group(d)) continue;
          const id = this.byKey.get(fwd);
          if (id === undefined || this.outcome[id] !== PENDING) this.open(fwd, s, d, TCP, c.dstPort[i], c.time[i]);
        } else if (flags & TCP_FLAG.SYN && flags & TCP_FLAG.ACK) this.settle(this.byKey.get(back), 1);
        else if (flags & TCP_FLAG.RST) this.settle(this.byKey.get(back), 0);
      } else if (p === UDP) {
        const fwd = `u${s}:${c.srcPort[i]}>${d}:${c.dstPort[i]}`;
        const back = `u${d}:${c.dstPort[i]}>${s}:${c.srcPort[i]}`;
        const reply = this.byKey.get(back);
        if (reply !== undefined) this.settle(reply, 1);
        else if (!this.byKey.has(fwd) && !group(d)) this.open(fwd, s, d, UDP, c.dstPort[i], c.time[i]);
      } else if (p === ICMP || p === ICMPV6) {
        const type = c.icmpTypeCode[i] & 0xff;
        const request = p === ICMP ? 8 : 128;
        const reply = p === ICMP ? 0 : 129;
        const unreachable = p === ICMP ? 3 : 1;
        if (type === request) {
          if (group(d)) continue;
          const key = `i${s}>${d}`;
          const id = this.byKey.get(key);
          if (id === undefined || this.outcome[id] !== PENDING) this.open(key, s, d, p, 0, c.time[i]);
        } else if (type === reply) this.settle(this.byKey.get(`i${d}>${s}`), 1);
        else if (type === unreachable) this.settle(this.latest.get(`${d}>${s}`), 0);
      }
    }
  }

  /** The capture ended: every attempt still pending fails, in the order they opened. */
  finish(): void {
    for (let id = 0; id < this.outcome.length; id++) this.settle(id, 0);
    this.head = this.opened.length;
  }

  /** Every attempt so far, in order of its first packet; one still pending counts as a failure. */
  attempts(): ConnectionAttempts {
    const count = this.initiator.length;
    const success = new Uint8Array(count);
    for (let a = 0; a < count; a++) success[a] = this.outcome[a] === 1 ? 1 : 0;
    return {
      count,
      initiator: Uint32Array.from(this.initiator),
      responder: Uint32Array.from(this.responder),
      ipProto: Uint8Array.from(this.proto),
      port: Uint16Array.from(this.port),
      start: Float64Array.from(this.start),
      success,
    };
  }

  private open(key: string, src: number, dst: number, proto: number, dstPort: number, time: number): void {
    const id = this.initiator.length;
    this.initiator.push(src);
    this.responder.push(dst);
    this.proto.push(proto);
    this.port.push(dstPort);
    this.start.push(time);
    this.outcome.push(PENDING);
    this.byKey.set(key, id);
    this.latest.set(`${src}>${dst}`, id);
    if (Number.isFinite(this.timeoutSeconds)) this.opened.push(id);
  }

  private settle(id: number | undefined, result: 0 | 1): void {
    if (id === undefined || this.outcome[id] !== PENDING) return;
    this.outcome[id] = result;
    this.onResolved?.({ initiator: this.initiator[id], responder: this.responder[id], ipProto: this.proto[id], port: this.port[id], start: this.start[id], success: result, resolvedAt: this.now });
  }

  /** Fails the attempts unanswered for longer than the timeout (checked in the order they opened). */
  private expire(): void {
    const { opened } = this;
    while (this.head < opened.length) {
      const id = opened[this.head];
      if (this.outcome[id] === PENDING) {
        if (this.now - this.start[id] <= this.timeoutSeconds) break;
        this.settle(id, 0);
      }
      this.head++;
    }
    // Drop the settled prefix now and then, so a long capture does not keep every id.
    if (this.head > 4096 && this.head * 2 > opened.length) {
      opened.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** True for IPv4 broadcast/multicast (224/4, 255.255.255.255, x.x.x.255) and IPv6 multicast (ff00::/8). */
function groupAddressTest(addresses: DecodedPackets['addresses']): (id: number) => boolean {
  const cache = new Map<number, boolean>();
  return (id) => {
    let known = cache.get(id);
    if (known === undefined) {
      const kind = addresses.kind(id);
      const text = addresses.text(id);
      if (kind === ADDRESS_KIND.IPV4) {
        const first = Number(text.split('.')[0]);
        known = (first >= 224 && first <= 239) || text === '255.255.255.255' || text.endsWith('.255');
      } else known = kind === ADDRESS_KIND.IPV6 ? text.toLowerCase().startsWith('ff') : true;
      cache.set(id, known);
    }
    return known;
  };
}
