// IGMP (RFC 2236, RFC 3376): only the version, for the protocol column as Wireshark names it:
// 0x22 is a v3 report, 0x16/0x17 v2 report/leave, 0x12 v1 report, 0x11 a query (v3 when longer
// than 8 bytes, v2 with a max response time, v1 without).
import { PACKET_FLAG } from './columns.ts';
import { PROTO } from './protocol-table.ts';
import type { DecodeState } from './state.ts';

export function decodeIgmp(data: Uint8Array, offset: number, i: number, state: DecodeState): void {
  const c = state.columns;
  if (state.end - offset < 8) {
    c.protocol[i] = PROTO.IGMPv2;
    c.flags[i] |= PACKET_FLAG.TRUNCATED;
    return;
  }
  const type = data[offset];
  const length = state.claimedEnd - offset;
  let proto: number = PROTO.IGMPv2;
  if (type === 0x22) proto = PROTO.IGMPv3;
  else if (type === 0x12) proto = PROTO.IGMPv1;
  else if (type === 0x11) proto = length > 8 ? PROTO.IGMPv3 : data[offset + 1] === 0 ? PROTO.IGMPv1 : PROTO.IGMPv2;
  c.protocol[i] = proto;
  c.icmpTypeCode[i] = type;
}
