// Raw IP link types (LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6): the frame is an IP packet;
// the version nibble picks the decoder.
import { PACKET_FLAG } from './columns.ts';
import { decodeNetwork } from './network.ts';
import type { DecodeState } from './state.ts';

export function decodeRaw(data: Uint8Array, offset: number, i: number, state: DecodeState): void {
  if (offset >= state.end) {
    state.columns.flags[i] |= PACKET_FLAG.TRUNCATED;
    return;
  }
  const version = data[offset] >> 4;
  decodeNetwork(version === 6 ? 0x86dd : version === 4 ? 0x0800 : 0, data, offset, i, state);
}
