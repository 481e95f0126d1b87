// Linux cooked capture v1 (LINKTYPE_LINUX_SLL, tcpdump -i any before libpcap 1.10): 16 bytes,
// the protocol type at byte 14; the link-layer source address when it is a 6-byte MAC.
import { PACKET_FLAG } from './columns.ts';
import { decodeNetwork } from './network.ts';
import type { DecodeState } from './state.ts';

const HEADER = 16;

export function decodeSll(data: Uint8Array, offset: number, i: number, state: DecodeState): void {
  if (state.end - offset < HEADER) {
    state.columns.flags[i] |= PACKET_FLAG.TRUNCATED;
    return;
  }
  const addrLen = (data[offset + 4] << 8) | data[offset + 5];
  if (addrLen === 6) state.columns.src[i] = state.addresses.mac(data, offset + 6);
  decodeNetwork((data[offset + 14] << 8) | data[offset + 15], data, offset + HEADER, i, state);
}
