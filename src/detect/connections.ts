// Connection attempts and their outcomes, the input of both baseline scan detectors. One pass over
// the decoded columns, in file order:
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
import { TCP_FLAG } from '../capture/decode/columns.ts';
import { ADDRESS_KIND } from '../capture/decode/address-table.ts';

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

const PENDING = 2;
const TCP = 6;
const UDP = 17;
const ICMP = 1;
const ICMPV6 = 58;

export function connectionAttempts(decoded: DecodedPackets): ConnectionAttempts {
  const c = decoded.columns;
  const group = groupAddressTest(decoded);
  const initiator: number[] = [];
  const responder: number[] = [];
  const proto: number[] = [];
  const port: number[] = [];
  const start: number[] = [];
  const outcome: number[] = [];
  /** Directional key (initiator side first) -> attempt id. */
  const byKey = new Map<string, number>();
  /** `${initiator}>${responder}` -> latest attempt id, for ICMP errors. */
  const latest = new Map<string, number>();
  const open = (key: string, i: number, p: number, dstPort: number): void => {
    const id = initiator.length;
    initiator.push(c.src[i]);
    responder.push(c.dst[i]);
    proto.push(p);
    port.push(dstPort);
    start.push(c.time[i]);
    outcome.push(PENDING);
    byKey.set(key, id);
    latest.set(`${c.src[i]}>${c.dst[i]}`, id);
  };
  const settle = (id: number | undefined, result: 0 | 1): void => {
    if (id !== undefined && outcome[id] === PENDING) outcome[id] = result;
  };

  for (let i = 0; i < decoded.packets; i++) {
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
        const id = byKey.get(fwd);
        if (id === undefined || outcome[id] !== PENDING) open(fwd, i, TCP, c.dstPort[i]);
      } else if (flags & TCP_FLAG.SYN && flags & TCP_FLAG.ACK) settle(byKey.get(back), 1);
      else if (flags & TCP_FLAG.RST) settle(byKey.get(back), 0);
    } else if (p === UDP) {
      const fwd = `u${s}:${c.srcPort[i]}>${d}:${c.dstPort[i]}`;
      const back = `u${d}:${c.dstPort[i]}>${s}:${c.srcPort[i]}`;
      const reply = byKey.get(back);
      if (reply !== undefined) settle(reply, 1);
      else if (!byKey.has(fwd) && !group(d)) open(fwd, i, UDP, c.dstPort[i]);
    } else if (p === ICMP || p === ICMPV6) {
      const type = c.icmpTypeCode[i] & 0xff;
      const request = p === ICMP ? 8 : 128;
      const reply = p === ICMP ? 0 : 129;
      const unreachable = p === ICMP ? 3 : 1;
      if (type === request) {
        if (group(d)) continue;
        const key = `i${s}>${d}`;
        const id = byKey.get(key);
        if (id === undefined || outcome[id] !== PENDING) open(key, i, p, 0);
      } else if (type === reply) settle(byKey.get(`i${d}>${s}`), 1);
      else if (type === unreachable) settle(latest.get(`${d}>${s}`), 0);
    }
  }
  const count = initiator.length;
  const success = new Uint8Array(count);
  for (let a = 0; a < count; a++) success[a] = outcome[a] === 1 ? 1 : 0;
  return {
    count,
    initiator: Uint32Array.from(initiator),
    responder: Uint32Array.from(responder),
    ipProto: Uint8Array.from(proto),
    port: Uint16Array.from(port),
    start: Float64Array.from(start),
    success,
  };
}

/** True for IPv4 broadcast/multicast (224/4, 255.255.255.255, x.x.x.255) and IPv6 multicast (ff00::/8). */
function groupAddressTest(decoded: DecodedPackets): (id: number) => boolean {
  const cache = new Map<number, boolean>();
  return (id) => {
    let known = cache.get(id);
    if (known === undefined) {
      const kind = decoded.addresses.kind(id);
      const text = decoded.addresses.text(id);
      if (kind === ADDRESS_KIND.IPV4) {
        const first = Number(text.split('.')[0]);
        known = (first >= 224 && first <= 239) || text === '255.255.255.255' || text.endsWith('.255');
      } else known = kind === ADDRESS_KIND.IPV6 ? text.toLowerCase().startsWith('ff') : true;
      cache.set(id, known);
    }
    return known;
  };
}
