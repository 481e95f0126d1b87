// Ethernet II (IEEE 802.3) frames, with 802.1Q/802.1ad VLAN tags skipped. An ether type below
// 0x0600 is an 802.3 length: the frame carries LLC (STP and friends).
import { PACKET_FLAG } from './columns.ts';
import { PROTO } from './protocol-table.ts';
import { decodeNetwork } from './network.ts';
import type { DecodeState } from './state.ts';

const HEADER = 14;

export function decodeEthernet(data: Uint8Array, offset: number, i: number, state: DecodeState): void {
  const c = state.columns;
  if (state.end - offset < HEADER) {
    c.flags[i] |= PACKET_FLAG.TRUNCATED;
    return;
  }
  c.dst[i] = state.addresses.mac(data, offset);
  c.src[i] = state.addresses.mac(data, offset + 6);
  let type = (data[offset + 12] << 8) | data[offset + 13];
  let o = offset + HEADER;
  while ((type === 0x8100 || type === 0x88a8) && state.end - o >= 4) {
    type = (data[o + 2] << 8) | data[o + 3];
    o += 4;
  }
  if (type < 0x0600) {
    // 802.3 length + LLC: DSAP 0x42 is the spanning tree protocol.
    c.protocol[i] = o < state.end && data[o] === 0x42 ? PROTO.STP : PROTO.LLC;
    return;
  }
  decodeNetwork(type, data, o, i, state);
}
