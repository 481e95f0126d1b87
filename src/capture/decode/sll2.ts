// Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, tcpdump -i any with libpcap >= 1.10): 20 bytes,
// protocol type first, then interface index, ARPHRD type, packet type and the source address.
import { PACKET_FLAG } from './columns.ts';
import { decodeNetwork } from './network.ts';
import type { DecodeState } from './state.ts';

const HEADER = 20;

export function decodeSll2(data: Uint8Array, offset: number, i: number, state: DecodeState): void {
  if (state.end - offset < HEADER) {
    state.columns.flags[i] |= PACKET_FLAG.TRUNCATED;
    return;
  }
  const addrLen = data[offset + 11];
  if (addrLen === 6) state.columns.src[i] = state.addresses.mac(data, offset + 12);
  decodeNetwork((data[offset] << 8) | data[offset + 1], data, offset + HEADER, i, state);
}
