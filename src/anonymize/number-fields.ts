// Where a packet holds numbers that are never addresses: TCP sequence and acknowledgement numbers,
// timestamps, checksums, lengths, ports. verify-anon searches every byte for every original address
// in raw form too, and on a large capture a random 32-bit number will now and then equal one (with
// 65 addresses, about one hit per 66 million random 4-byte positions; a capture of a few million
// packets has that many). Such a match lies wholly inside one of these fields, where the
// anonymizer never writes an address: it is counted apart as a coincidence, not a leak.
// Anything this parser does not understand has no number fields, so a match there stays a leak.

import { LINKTYPE } from '../capture/pcap-file.ts';

/** [start, end) bytes of a frame that hold only numbers, and what they are. */
export type Span = readonly [start: number, end: number, what: string];

/** The byte ranges of `frame` that hold only numbers, never an address. */
export function numberFieldSpans(frame: Uint8Array, linkType: number): Span[] {
  const spans: Span[] = [];
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  let etherType: number;
  let at: number;
  if (linkType === LINKTYPE.ETHERNET) {
    if (frame.length < 14) return spans;
    spans.push([12, 14, 'EtherType']);
    etherType = view.getUint16(12);
    at = 14;
    while ((etherType === 0x8100 || etherType === 0x88a8) && at + 4 <= frame.length) {
      spans.push([at, at + 4, 'VLAN tag']);
      etherType = view.getUint16(at + 2);
      at += 4;
    }
  } else if (linkType === LINKTYPE.RAW || linkType === LINKTYPE.IPV4 || linkType === LINKTYPE.IPV6) {
    at = 0;
    etherType = frame.length > 0 && frame[0] >> 4 === 6 ? 0x86dd : 0x0800;
  } else {
    return spans; // cooked captures and the rest: no number fields claimed
  }
  if (etherType === 0x0800) ipv4(view, at, spans);
  else if (etherType === 0x86dd) ipv6(view, at, spans);
  else if (etherType === 0x0806 && at + 8 <= frame.length) spans.push([at, at + 8, 'ARP header numbers']); // types, sizes, opcode
  return spans;
}

function ipv4(view: DataView, at: number, spans: Span[]): void {
  if (at + 20 > view.byteLength || view.getUint8(at) >> 4 !== 4) return;
  const headerLength = (view.getUint8(at) & 0x0f) * 4;
  // Version .. header checksum; the addresses (12..20) and options (record route holds addresses) are not numbers.
  spans.push([at, at + 12, 'IPv4 header numbers']);
  const fragmentOffset = view.getUint16(at + 6) & 0x1fff;
  if (fragmentOffset !== 0 || headerLength < 20) return; // a later fragment carries no transport header
  transport(view, view.getUint8(at + 9), at + headerLength, spans);
}

function ipv6(view: DataView, at: number, spans: Span[]): void {
  if (at + 40 > view.byteLength || view.getUint8(at) >> 4 !== 6) return;
  spans.push([at, at + 8, 'IPv6 header numbers']); // version, class, flow label, payload length, next header, hop limit
  transport(view, view.getUint8(at + 6), at + 40, spans);
}

function transport(view: DataView, protocol: number, at: number, spans: Span[]): void {
  const end = view.byteLength;
  if (protocol === 6 && at + 20 <= end) {
    // Ports, sequence, acknowledgement, flags, window, checksum, urgent pointer, and the options
    // (MSS, window scale, SACK blocks, timestamps): numbers only.
    const headerLength = (view.getUint8(at + 12) >> 4) * 4;
    spans.push([at, Math.min(end, at + Math.max(20, headerLength)), 'TCP header']);
  } else if (protocol === 17 && at + 8 <= end) {
    spans.push([at, at + 8, 'UDP header']); // ports, length, checksum
  } else if ((protocol === 1 || protocol === 58) && at + 4 <= end) {
    spans.push([at, at + 4, 'ICMP type, code and checksum']);
    const type = view.getUint8(at);
    // Echo request/reply: identifier and sequence. (Other types carry a gateway address, an MTU
    // or nothing there, then a quoted packet: not claimed.)
    const echo = protocol === 1 ? type === 0 || type === 8 : type === 128 || type === 129;
    if (echo && at + 8 <= end) spans.push([at + 4, at + 8, 'ICMP echo identifier and sequence']);
  }
}

/** The span [from, to) lies wholly inside, if any. */
export function spanHolding(spans: readonly Span[], from: number, to: number): Span | undefined {
  return spans.find(([start, end]) => from >= start && to <= end);
}
