// Dispatch from an IP protocol number (IANA "Assigned Internet Protocol Numbers") to the
// transport decoder; protocols without one still get a Wireshark-like name.
import { PROTO } from './protocol-table.ts';
import { PACKET_FLAG } from './columns.ts';
import { decodeTcp } from './tcp.ts';
import { decodeUdp } from './udp.ts';
import { decodeIcmp } from './icmp.ts';
import { decodeIcmpv6 } from './icmpv6.ts';
import { decodeIgmp } from './igmp.ts';
import type { DecodeState, LayerDecoder } from './state.ts';

export const IP_PROTO = { ICMP: 1, IGMP: 2, TCP: 6, UDP: 17, GRE: 47, ESP: 50, ICMPV6: 58, OSPF: 89, PIM: 103, VRRP: 112, SCTP: 132 } as const;

const DECODERS = new Map<number, LayerDecoder>([
  [IP_PROTO.TCP, decodeTcp],
  [IP_PROTO.UDP, decodeUdp],
  [IP_PROTO.ICMP, decodeIcmp],
  [IP_PROTO.ICMPV6, decodeIcmpv6],
  [IP_PROTO.IGMP, decodeIgmp],
]);

const NAMES = new Map<number, number>([
  [IP_PROTO.GRE, PROTO.GRE],
  [IP_PROTO.ESP, PROTO.ESP],
  [IP_PROTO.OSPF, PROTO.OSPF],
  [IP_PROTO.PIM, PROTO.PIM],
  [IP_PROTO.VRRP, PROTO.VRRP],
  [IP_PROTO.SCTP, PROTO.SCTP],
]);

export function decodeTransport(proto: number, data: Uint8Array, offset: number, i: number, state: DecodeState): void {
  const decoder = DECODERS.get(proto);
  if (decoder) return decoder(data, offset, i, state);
  const name = NAMES.get(proto);
  if (name !== undefined) state.columns.protocol[i] = name;
  state.columns.payloadLen[i] = Math.max(0, state.claimedEnd - offset);
}

/** The transport layer of a reassembled datagram, written at the frame that completed it. */
export function decodeReassembled(proto: number, whole: Uint8Array, i: number, state: DecodeState): void {
  const c = state.columns;
  c.flags[i] = (c.flags[i] & ~PACKET_FLAG.FRAGMENT) | PACKET_FLAG.REASSEMBLED;
  state.end = whole.length;
  state.claimedEnd = whole.length;
  decodeTransport(proto, whole, 0, i, state);
}
