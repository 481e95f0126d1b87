// ICMPv6 (RFC 4443, with NDP from RFC 4861): type and code (1 = destination unreachable,
// 128/129 echo, 133-137 neighbour discovery).
import { PACKET_FLAG } from './columns.ts';
import { PROTO } from './protocol-table.ts';
import type { DecodeState } from './state.ts';

export const ICMPV6_TYPE = { UNREACHABLE: 1, ECHO_REQUEST: 128, ECHO_REPLY: 129 } as const;

export function decodeIcmpv6(data: Uint8Array, offset: number, i: number, state: DecodeState): void {
  const c = state.columns;
  c.protocol[i] = PROTO.ICMPv6;
  if (state.end - offset < 4) {
    c.flags[i] |= PACKET_FLAG.TRUNCATED;
    return;
  }
  c.icmpTypeCode[i] = data[offset] | (data[offset + 1] << 8);
  c.payloadLen[i] = Math.max(0, state.claimedEnd - offset - 4);
  c.l4HeaderLen[i] = 4;
}
