// ARP and RARP (RFC 826). Wireshark names the frame ARP and shows the link addresses as its
// source and destination, so the columns keep the MAC ids the link layer wrote.
import { PACKET_FLAG } from './columns.ts';
import { PROTO } from './protocol-table.ts';
import type { DecodeState } from './state.ts';

const HEADER = 8;

export function decodeArp(data: Uint8Array, offset: number, i: number, state: DecodeState): void {
  const c = state.columns;
  c.protocol[i] = c.etherType[i] === 0x8035 ? PROTO.RARP : PROTO.ARP;
  if (state.end - offset < HEADER) c.flags[i] |= PACKET_FLAG.TRUNCATED;
}
