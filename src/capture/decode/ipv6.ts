// IPv6 (RFC 8200): addresses interned, hop limit, and the extension-header chain (hop-by-hop,
// routing, fragment, destination options) walked to the transport protocol; fragments go to the
// reassembler, and the one that completes a datagram is decoded as the whole datagram.
import { PACKET_FLAG } from './columns.ts';
import { PROTO } from './protocol-table.ts';
import { decodeTransport, decodeReassembled } from './transport.ts';
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
      const more = (data[o + 3] & 1) !== 0;
      const id = ((data[o + 4] << 24) | (data[o + 5] << 16) | (data[o + 6] << 8) | data[o + 7]) >>> 0;
      o += 8;
      // An atomic fragment (offset 0, M clear) is a whole datagram (RFC 6946).
      if (fragOffset !== 0 || more) {
        c.ipProto[i] = next;
        c.flags[i] |= PACKET_FLAG.FRAGMENT;
        c.payloadLen[i] = claimedEnd - o;
        const whole = state.fragments.add(`6:${c.src[i]}:${c.dst[i]}:${id}`, c.time[i], fragOffset * 8, more, data, o, state.end, claimedEnd - o);
        if (whole) decodeReassembled(next, whole, i, state);
        return;
      }
    } else o += (data[o + 1] + 1) * 8;
  }
  c.ipProto[i] = next;
  if (next === NO_NEXT) return;
  decodeTransport(next, data, o, i, state);
}
