// IPv4 (RFC 791): addresses, id, TTL, protocol; the total length bounds the transport layer
// (Ethernet padding is not payload). Fragments go to the reassembler; the one that completes a
// datagram is decoded as the whole datagram.
import { PACKET_FLAG } from './columns.ts';
import { PROTO } from './protocol-table.ts';
import { decodeTransport, decodeReassembled } from './transport.ts';
import type { DecodeState } from './state.ts';

const MIN_HEADER = 20;

export function decodeIpv4(data: Uint8Array, offset: number, i: number, state: DecodeState): void {
  const c = state.columns;
  c.ipVersion[i] = 4;
  c.protocol[i] = PROTO.IPv4;
  if (state.end - offset < MIN_HEADER) {
    c.flags[i] |= PACKET_FLAG.TRUNCATED;
    return;
  }
  const ihl = (data[offset] & 0x0f) * 4;
  const total = (data[offset + 2] << 8) | data[offset + 3];
  c.ipId[i] = (data[offset + 4] << 8) | data[offset + 5];
  const fragOffset = ((data[offset + 6] & 0x1f) << 8) | data[offset + 7];
  c.ttl[i] = data[offset + 8];
  const proto = data[offset + 9];
  c.ipProto[i] = proto;
  c.src[i] = state.addresses.ipv4(((data[offset + 12] << 24) | (data[offset + 13] << 16) | (data[offset + 14] << 8) | data[offset + 15]) >>> 0);
  c.dst[i] = state.addresses.ipv4(((data[offset + 16] << 24) | (data[offset + 17] << 16) | (data[offset + 18] << 8) | data[offset + 19]) >>> 0);
  if (ihl < MIN_HEADER || state.end - offset < ihl) {
    c.flags[i] |= PACKET_FLAG.TRUNCATED;
    return;
  }
  // A total length of 0 happens with TSO on the capturing host: trust the frame then.
  const claimedEnd = total >= ihl ? offset + total : state.end;
  state.claimedEnd = claimedEnd;
  state.end = Math.min(state.end, claimedEnd);
  const more = (data[offset + 6] & 0x20) !== 0;
  if (fragOffset !== 0 || more) {
    const claimed = claimedEnd - offset - ihl;
    c.flags[i] |= PACKET_FLAG.FRAGMENT;
    c.payloadLen[i] = claimed;
    const key = `4:${c.src[i]}:${c.dst[i]}:${proto}:${c.ipId[i]}`;
    const whole = state.fragments.add(key, c.time[i], fragOffset * 8, more, data, offset + ihl, state.end, claimed);
    if (whole) decodeReassembled(proto, whole, i, state);
    return;
  }
  decodeTransport(proto, data, offset + ihl, i, state);
}
