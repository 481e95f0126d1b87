// The fields of an Ethernet frame that identify a packet across two captures of the same LAN
// segment: MACs, IPv4 addresses and ID, protocol, ports, TCP sequence number, ICMP echo id and
// sequence, the IP header quoted inside an ICMP error, and ARP's addresses. IPv6 the same way
// (its flow label stands in for the IP ID, ICMPv6 for ICMP), and neighbour discovery as ARP.
// Pure: a buffer in, a reused record out (no allocation per packet).

import { LINKTYPE } from '../capture/pcap-file.ts';
import { v6FromText } from '../util/address-text.ts';
import { TupleMap } from './tuple-map.ts';

/** IPV6 and ND (neighbour solicitation/advertisement, IPv6's ARP) only when read with Ipv6Numbers. */
export const KIND = { OTHER: 0, IPV4: 1, ARP: 2, IPV6: 3, ND: 4 } as const;

/** An IP packet of either family (addresses, protocol, ports ... filled in). */
export const isIp = (f: FrameFields) => f.kind === KIND.IPV4 || f.kind === KIND.IPV6;
/** A neighbour resolution packet: ARP, or IPv6 neighbour discovery (arpOp 1 asks, 2 answers). */
export const isNeighbour = (f: FrameFields) => f.kind === KIND.ARP || f.kind === KIND.ND;
export const isIcmp = (proto: number) => proto === 1 || proto === 58;
export const isEchoReply = (f: FrameFields) => (f.proto === 1 && f.icmpType === 0) || (f.proto === 58 && f.icmpType === 129);

/** First number an IPv6 address gets: 240.0.0.0, IPv4's reserved class E, never seen on a lab's wire. */
const FIRST_V6_NUMBER = 0xf0000000;

/**
 * IPv6 addresses as 32-bit numbers, so that one word of a tuple holds an address of either
 * family: each distinct address gets the next number from 240.0.0.0 on, the same for the same
 * address in every capture read with this table.
 */
export class Ipv6Numbers {
  private readonly numbers = new TupleMap<number>(4);
  private readonly words = new Uint32Array(4);

  /** The number of the 16-byte address at `offset`. */
  of(data: Uint8Array, offset: number): number {
    for (let i = 0; i < 4; i++) this.words[i] = u32(data, offset + 4 * i);
    let n = this.numbers.get(this.words);
    if (n === undefined) {
      n = FIRST_V6_NUMBER + this.numbers.size;
      this.numbers.set(this.words, n);
    }
    return n;
  }

  /** The number of an address in text form (undefined when it is not IPv6). */
  ofText(text: string): number | undefined {
    const bytes = text.includes(':') ? v6FromText(text) : undefined;
    return bytes && this.of(bytes, 0);
  }
}

export interface FrameFields {
  kind: number;
  /** Source MAC as a 48-bit number. */
  srcMac: number;
  dstMac: number;
  src: number;
  dst: number;
  proto: number;
  ipId: number;
  ipLen: number;
  srcPort: number;
  dstPort: number;
  /** TCP sequence number; for ICMP echo, id << 16 | sequence. */
  seq: number;
  tcpFlags: number;
  icmpType: number;
  /** ICMP errors: the quoted packet's fields (src, dst, proto, IP ID, ports); quotedProto 0 when none. */
  quotedSrc: number;
  quotedDst: number;
  quotedProto: number;
  quotedIpId: number;
  quotedSrcPort: number;
  quotedDstPort: number;
  /** ARP: 1 request, 2 reply. */
  arpOp: number;
}

export function emptyFields(): FrameFields {
  return { kind: 0, srcMac: 0, dstMac: 0, src: 0, dst: 0, proto: 0, ipId: 0, ipLen: 0, srcPort: 0, dstPort: 0, seq: 0, tcpFlags: 0, icmpType: -1, quotedSrc: 0, quotedDst: 0, quotedProto: 0, quotedIpId: 0, quotedSrcPort: 0, quotedDstPort: 0, arpOp: 0 };
}

const u16 = (d: Uint8Array, o: number) => (d[o] << 8) | d[o + 1];
const u32 = (d: Uint8Array, o: number) => ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) >>> 0;
const mac = (d: Uint8Array, o: number) => u16(d, o) * 2 ** 32 + u32(d, o + 2);

/** Fills `f` from an Ethernet frame; anything else is KIND.OTHER, and IPv6 too unless `v6` numbers its addresses. */
export function readFrameFields(data: Uint8Array, linkType: number, f: FrameFields, v6?: Ipv6Numbers): FrameFields {
  f.kind = KIND.OTHER;
  f.quotedProto = 0;
  f.icmpType = -1;
  f.srcPort = f.dstPort = f.seq = f.tcpFlags = f.arpOp = 0;
  if (linkType !== LINKTYPE.ETHERNET || data.length < 14) return f;
  f.dstMac = mac(data, 0);
  f.srcMac = mac(data, 6);
  let type = u16(data, 12);
  let o = 14;
  if (type === 0x8100 && data.length >= 18) {
    type = u16(data, 16);
    o = 18;
  }
  if (type === 0x0806 && data.length >= o + 28) {
    f.kind = KIND.ARP;
    f.arpOp = u16(data, o + 6);
    f.src = u32(data, o + 14);
    f.dst = u32(data, o + 24);
    return f;
  }
  if (type === 0x86dd) return v6 && data.length >= o + 40 && data[o] >> 4 === 6 ? readIpv6(data, o, f, v6) : f;
  if (type !== 0x0800 || data.length < o + 20 || data[o] >> 4 !== 4) return f;
  f.kind = KIND.IPV4;
  const ihl = (data[o] & 0x0f) * 4;
  f.ipLen = u16(data, o + 2);
  f.ipId = u16(data, o + 4);
  const fragmentOffset = u16(data, o + 6) & 0x1fff;
  f.proto = data[o + 9];
  f.src = u32(data, o + 12);
  f.dst = u32(data, o + 16);
  const t = o + ihl;
  if (fragmentOffset !== 0) return f; // no transport header in later fragments
  if ((f.proto === 6 || f.proto === 17) && data.length >= t + 4) {
    f.srcPort = u16(data, t);
    f.dstPort = u16(data, t + 2);
    if (f.proto === 6 && data.length >= t + 14) {
      f.seq = u32(data, t + 4);
      f.tcpFlags = data[t + 13];
    }
  } else if (f.proto === 1 && data.length >= t + 8) {
    f.icmpType = data[t];
    if (f.icmpType === 0 || f.icmpType === 8) f.seq = u32(data, t + 4);
    if ((f.icmpType === 3 || f.icmpType === 11 || f.icmpType === 12) && data.length >= t + 8 + 20) {
      const q = t + 8;
      const qihl = (data[q] & 0x0f) * 4;
      f.quotedProto = data[q + 9];
      f.quotedIpId = u16(data, q + 4);
      f.quotedSrc = u32(data, q + 12);
      f.quotedDst = u32(data, q + 16);
      if (data.length >= q + qihl + 4) {
        f.quotedSrcPort = u16(data, q + qihl);
        f.quotedDstPort = u16(data, q + qihl + 2);
      }
    }
  }
  return f;
}

const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const DEST_OPTIONS = 60;

/** IPv6 at `o`: the same fields as IPv4's (flow label's low 16 bits as the ID, payload length as the length). */
function readIpv6(data: Uint8Array, o: number, f: FrameFields, v6: Ipv6Numbers): FrameFields {
  f.kind = KIND.IPV6;
  f.ipId = u16(data, o + 2);
  f.ipLen = u16(data, o + 4);
  f.src = v6.of(data, o + 8);
  f.dst = v6.of(data, o + 24);
  let next = data[o + 6];
  let t = o + 40;
  while (next === HOP_BY_HOP || next === ROUTING || next === FRAGMENT || next === DEST_OPTIONS) {
    if (data.length < t + 8) break;
    const header = next;
    next = data[t];
    if (header === FRAGMENT) {
      f.proto = next;
      if ((u16(data, t + 2) & 0xfff8) !== 0) return f; // no transport header in later fragments
      t += 8;
    } else t += (data[t + 1] + 1) * 8;
  }
  f.proto = next;
  if ((next === 6 || next === 17) && data.length >= t + 4) {
    f.srcPort = u16(data, t);
    f.dstPort = u16(data, t + 2);
    if (next === 6 && data.length >= t + 14) {
      f.seq = u32(data, t + 4);
      f.tcpFlags = data[t + 13];
    }
  } else if (next === 58 && data.length >= t + 8) {
    f.icmpType = data[t];
    if (f.icmpType === 128 || f.icmpType === 129) f.seq = u32(data, t + 4);
    if (f.icmpType >= 1 && f.icmpType <= 4 && data.length >= t + 8 + 40) {
      const q = t + 8;
      f.quotedProto = data[q + 6];
      f.quotedIpId = u16(data, q + 2);
      f.quotedSrc = v6.of(data, q + 8);
      f.quotedDst = v6.of(data, q + 24);
      if (data.length >= q + 44) {
        f.quotedSrcPort = u16(data, q + 40);
        f.quotedDstPort = u16(data, q + 42);
      }
    }
    // Neighbour solicitation and advertisement are IPv6's ARP: who asks (the source) about whom
    // (the target), and who answers (the source) to whom (the destination).
    if ((f.icmpType === 135 || f.icmpType === 136) && data.length >= t + 24) {
      f.kind = KIND.ND;
      f.arpOp = f.icmpType === 135 ? 1 : 2;
      if (f.arpOp === 1) f.dst = v6.of(data, t + 8);
    }
    // Router discovery, MLD and redirects are the kernel's, never a probe: not an IP packet to match.
    if ((f.icmpType >= 130 && f.icmpType <= 134) || f.icmpType === 137 || f.icmpType === 143) f.kind = KIND.OTHER;
  }
  return f;
}

/** Width of the emission tuple; conversations and quotes use CONVERSATION_WIDTH words. */
export const EMISSION_WIDTH = 6;
export const CONVERSATION_WIDTH = 4;
/** Marks ARP tuples apart from IP protocol numbers (which fit in 8 bits). */
const ARP_MARK = 0xff000000;

/** Identity of one emitted IP packet: what stays the same between the two ends of a LAN. */
export function emissionTuple(f: FrameFields, out: Uint32Array): Uint32Array {
  const neighbour = isNeighbour(f);
  out[0] = f.src;
  out[1] = f.dst;
  out[2] = neighbour ? ARP_MARK | f.arpOp : (f.proto << 24) | ((f.icmpType & 0xff) << 16) | f.ipLen;
  out[3] = neighbour ? 0 : (f.ipId << 16) | f.srcPort;
  out[4] = neighbour ? 0 : f.dstPort;
  out[5] = neighbour ? 0 : f.seq;
  return out;
}

/** The conversation a packet belongs to, from its sender's side (ARP: asker and asked). */
export function conversationTuple(src: number, dst: number, proto: number, srcPort: number, dstPort: number, out: Uint32Array): Uint32Array {
  out[0] = src;
  out[1] = dst;
  out[2] = proto;
  out[3] = (srcPort << 16) | dstPort;
  return out;
}

export const ARP_CONVERSATION = ARP_MARK;

/** Identity of a quoted packet: its IP header fields (an ICMP error quotes only 8 bytes of L4). */
export function quotedTuple(src: number, dst: number, proto: number, ipId: number, srcPort: number, dstPort: number, out: Uint32Array): Uint32Array {
  out[0] = src;
  out[1] = dst;
  out[2] = (proto << 16) | ipId;
  out[3] = (srcPort << 16) | dstPort;
  return out;
}
