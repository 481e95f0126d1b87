// The fields of an Ethernet frame that identify a packet across two captures of the same LAN
// segment: MACs, IPv4 addresses and ID, protocol, ports, TCP sequence number, ICMP echo id and
// sequence, the IP header quoted inside an ICMP error, and ARP's addresses. Pure: a buffer in,
// a reused record out (no allocation per packet).

import { LINKTYPE } from '../capture/pcap-file.ts';

export const KIND = { OTHER: 0, IPV4: 1, ARP: 2 } as const;

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

/** Fills `f` from an Ethernet frame; anything else is KIND.OTHER. */
export function readFrameFields(data: Uint8Array, linkType: number, f: FrameFields): FrameFields {
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

/** Width of the emission tuple; conversations and quotes use CONVERSATION_WIDTH words. */
export const EMISSION_WIDTH = 6;
export const CONVERSATION_WIDTH = 4;
/** Marks ARP tuples apart from IP protocol numbers (which fit in 8 bits). */
const ARP_MARK = 0xff000000;

/** Identity of one emitted IPv4 packet: what stays the same between the two ends of a LAN. */
export function emissionTuple(f: FrameFields, out: Uint32Array): Uint32Array {
  out[0] = f.src;
  out[1] = f.dst;
  out[2] = f.kind === KIND.ARP ? ARP_MARK | f.arpOp : (f.proto << 24) | ((f.icmpType & 0xff) << 16) | f.ipLen;
  out[3] = f.kind === KIND.ARP ? 0 : (f.ipId << 16) | f.srcPort;
  out[4] = f.kind === KIND.ARP ? 0 : f.dstPort;
  out[5] = f.kind === KIND.ARP ? 0 : f.seq;
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
