// ICMP for IPv4 (RFC 792): type and code (3 = destination unreachable, the reply to a closed
// UDP port; 0/8 echo).
import { PACKET_FLAG } from './columns.ts';
import { PROTO } from './protocol-table.ts';
import type { DecodeState } from './state.ts';

export const ICMP_TYPE = { ECHO_REPLY: 0, UNREACHABLE: 3, ECHO_REQUEST: 8, TIME_EXCEEDED: 11 } as const;

export function decodeIcmp(data: Uint8Array, offset: number, i: number, state: DecodeState): void {
  const c = state.columns;
  c.protocol[i] = PROTO.ICMP;
  if (state.end - offset < 4) {
    c.flags[i] |= PACKET_FLAG.TRUNCATED;
    return;
  }
  c.icmpTypeCode[i] = data[offset] | (data[offset + 1] << 8);
  c.payloadLen[i] = Math.max(0, state.claimedEnd - offset - 8);
  c.l4HeaderLen[i] = 8;
}
