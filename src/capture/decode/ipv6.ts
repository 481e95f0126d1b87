// IPv6 (RFC 8200): addresses interned, hop limit, and the extension-header chain (hop-by-hop,
// routing, fragment, destination options) walked to the transport protocol.
import { PACKET_FLAG } from './columns.ts';
import { PROTO } from './protocol-table.ts';
import { decodeTransport } from './transport.ts';
import type { DecodeState } from './state.ts';

const HEADER = 40;
const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const DEST_OPTIONS = 60;
const NO_NEXT = 59;

export function decodeIpv6(data: Uint8Array, offset: number, i: number, state: DecodeState): void {
  const c = state.columns;
  c.ipVersion[i] = 6;
  c.protocol[i] = PROTO.IPv6;
  if (state.end - offset < HEADER) {
    c.flags[i] |= PACKET_FLAG.TRUNCATED;
    return;
  }
  const payload = (data[offset + 4] << 8) | data[offset + 5];
  let next = data[offset + 6];
  c.ttl[i] = data[offset + 7];
  c.src[i] = state.addresses.ipv6(data, offset + 8);
  c.dst[i] = state.addresses.ipv6(data, offset + 24);
  // Payload length 0 is a jumbogram or TSO: trust the frame then.
  const claimedEnd = payload > 0 ? offset + HEADER + payload : state.end;
  state.claimedEnd = claimedEnd;
  state.end = Math.min(state.end, claimedEnd);
  let o = offset + HEADER;
  while (next === HOP_BY_HOP || next === ROUTING || next === FRAGMENT || next === DEST_OPTIONS) {
    if (state.end - o < 8) {
      c.ipProto[i] = next;
      c.flags[i] |= PACKET_FLAG.TRUNCATED;
      return;
    }
    const header = next;
    next = data[o];
    if (header === FRAGMENT) {
      const fragOffset = ((data[o + 2] << 8) | data[o + 3]) >> 3;
      if (fragOffset === 0 && (data[o + 3] & 1) !== 0) c.flags[i] |= PACKET_FLAG.FIRST_FRAGMENT;
      o += 8;
      if (fragOffset !== 0) {
        c.ipProto[i] = next;
        c.flags[i] |= PACKET_FLAG.FRAGMENT;
        c.payloadLen[i] = claimedEnd - o;
        return;
      }
    } else o += (data[o + 1] + 1) * 8;
  }
  c.ipProto[i] = next;
  if (next === NO_NEXT) return;
  decodeTransport(next, data, o, i, state);
}
