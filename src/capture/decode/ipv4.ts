// IPv4 (RFC 791): addresses, id, TTL, protocol; the total length bounds the transport layer
// (Ethernet padding is not payload). Non-first fragments carry no transport header.
import { PACKET_FLAG } from './columns.ts';
import { PROTO } from './protocol-table.ts';
import { decodeTransport } from './transport.ts';
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
  if (fragOffset === 0 && (data[offset + 6] & 0x20) !== 0) c.flags[i] |= PACKET_FLAG.FIRST_FRAGMENT;
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
  if (fragOffset !== 0) {
    c.flags[i] |= PACKET_FLAG.FRAGMENT;
    c.payloadLen[i] = claimedEnd - offset - ihl;
    return;
  }
  decodeTransport(proto, data, offset + ihl, i, state);
}
