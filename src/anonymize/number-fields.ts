// Where a packet holds numbers that are never addresses: TCP sequence and acknowledgement numbers,
// timestamps, checksums, lengths, ports, DNS header and record fields. verify-anon searches every
// byte for every original address in raw form too, and on a large capture a random 32-bit number
// will now and then equal one (with 65 addresses, about one hit per 66 million random 4-byte
// positions; a capture of a few million packets has that many). Such a match is a coincidence,
// counted apart, not a leak, when it lies
//   - wholly inside one number field, where the anonymizer never writes an address, or
//   - across two or more adjacent header fields (numbers or addresses), e.g. the end of a MAC and
//     the EtherType: an address the anonymizer left in a field is found at that field itself, so
//     bytes straddling a field boundary are the same bytes by chance.
// A match wholly inside one address field is always a leak (an IPv4 address inside an IPv6 one
// is how 6to4 and NAT64 carry it). Anything this parser does not understand has no fields, so a
// match there stays a leak.

import { LINKTYPE } from '../capture/pcap-file.ts';

/** [start, end) bytes of a frame, what they are, and whether they hold an address. */
export type Span = readonly [start: number, end: number, what: string, address?: true];

/** Ports DNS-format messages use: DNS, mDNS, LLMNR. */
const DNS_PORTS = new Set([53, 5353, 5355]);

/** The header fields of `frame` this parser understands, numbers and addresses, in order. */
export function headerFieldSpans(frame: Uint8Array, linkType: number): Span[] {
  const spans: Span[] = [];
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  let etherType: number;
  let at: number;
  if (linkType === LINKTYPE.ETHERNET) {
    if (frame.length < 14) return spans;
    spans.push([0, 6, 'destination MAC', true], [6, 12, 'source MAC', true], [12, 14, 'EtherType']);
    etherType = view.getUint16(12);
    at = 14;
    while ((etherType === 0x8100 || etherType === 0x88a8) && at + 4 <= frame.length) {
      spans.push([at, at + 4, 'VLAN tag']);
      etherType = view.getUint16(at + 2);
      at += 4;
    }
  } else if (linkType === LINKTYPE.LINUX_SLL) {
    // Packet type, ARPHRD type, address length; the link address (8 bytes); the protocol.
    if (frame.length < 16) return spans;
    spans.push([0, 6, 'Linux cooked header numbers'], [6, 14, 'Linux cooked link address', true], [14, 16, 'Linux cooked protocol']);
    etherType = view.getUint16(14);
    at = 16;
  } else if (linkType === LINKTYPE.LINUX_SLL2) {
    // Protocol, reserved, interface index, ARPHRD type, packet type, address length; the address.
    if (frame.length < 20) return spans;
    spans.push([0, 12, 'Linux cooked v2 header numbers'], [12, 20, 'Linux cooked v2 link address', true]);
    etherType = view.getUint16(0);
    at = 20;
  } else if (linkType === LINKTYPE.RAW || linkType === LINKTYPE.IPV4 || linkType === LINKTYPE.IPV6) {
    at = 0;
    etherType = frame.length > 0 && frame[0] >> 4 === 6 ? 0x86dd : 0x0800;
  } else {
    return spans; // the rest: no fields claimed
  }
  if (etherType === 0x0800) ipv4(view, at, spans, false);
  else if (etherType === 0x86dd) ipv6(view, at, spans, false);
  else if (etherType === 0x0806) arp(view, at, spans);
  return spans;
}

/** Only the number fields (no address fields) of headerFieldSpans. */
export function numberFieldSpans(frame: Uint8Array, linkType: number): Span[] {
  return headerFieldSpans(frame, linkType).filter((s) => !s[3]);
}

function arp(view: DataView, at: number, spans: Span[]): void {
  if (at + 8 > view.byteLength) return;
  spans.push([at, at + 8, 'ARP header numbers']); // types, sizes, opcode
  const hlen = view.getUint8(at + 4);
  const plen = view.getUint8(at + 5);
  let o = at + 8;
  for (const [len, what] of [[hlen, 'ARP sender hardware address'], [plen, 'ARP sender protocol address'], [hlen, 'ARP target hardware address'], [plen, 'ARP target protocol address']] as const) {
    if (len === 0 || o + len > view.byteLength) return;
    spans.push([o, o + len, what, true]);
    o += len;
  }
}

function ipv4(view: DataView, at: number, spans: Span[], quoted: boolean): void {
  if (at + 20 > view.byteLength || view.getUint8(at) >> 4 !== 4) return;
  const headerLength = (view.getUint8(at) & 0x0f) * 4;
  // Version .. header checksum are numbers; options (record route holds addresses) are not claimed.
  spans.push([at, at + 12, `${quoted ? 'quoted ' : ''}IPv4 header numbers`], [at + 12, at + 16, 'IPv4 source', true], [at + 16, at + 20, 'IPv4 destination', true]);
  const fragmentOffset = view.getUint16(at + 6) & 0x1fff;
  if (fragmentOffset !== 0 || headerLength < 20) return; // a later fragment carries no transport header
  transport(view, view.getUint8(at + 9), at + headerLength, spans, quoted);
}

function ipv6(view: DataView, at: number, spans: Span[], quoted: boolean): void {
  if (at + 40 > view.byteLength || view.getUint8(at) >> 4 !== 6) return;
  // Version, class, flow label, payload length, next header, hop limit; then the two addresses.
  spans.push([at, at + 8, `${quoted ? 'quoted ' : ''}IPv6 header numbers`], [at + 8, at + 24, 'IPv6 source', true], [at + 24, at + 40, 'IPv6 destination', true]);
  transport(view, view.getUint8(at + 6), at + 40, spans, quoted);
}

/** ICMP errors that quote the packet they answer: destination unreachable, source quench, redirect, time exceeded, parameter problem. */
const ICMP4_ERRORS = new Set([3, 4, 5, 11, 12]);
const ICMP6_ERRORS = new Set([1, 2, 3, 4]);

function transport(view: DataView, protocol: number, at: number, spans: Span[], quoted: boolean): void {
  const end = view.byteLength;
  const q = quoted ? 'quoted ' : '';
  if (protocol === 6 && at + 8 <= end) {
    // Ports, sequence, acknowledgement, flags, window, checksum, urgent pointer, and the options
    // (MSS, window scale, SACK blocks, timestamps): numbers only. A quote may hold just 8 bytes.
    const headerLength = at + 13 <= end ? (view.getUint8(at + 12) >> 4) * 4 : 20;
    spans.push([at, Math.min(end, at + Math.max(20, headerLength)), `${q}TCP header`]);
  } else if (protocol === 17 && at + 8 <= end) {
    spans.push([at, at + 8, `${q}UDP header`]); // ports, length, checksum
    const dns = DNS_PORTS.has(view.getUint16(at)) || DNS_PORTS.has(view.getUint16(at + 2));
    if (dns && !quoted) dnsMessage(view, at + 8, spans);
  } else if ((protocol === 1 || protocol === 58) && at + 4 <= end) {
    spans.push([at, at + 4, `${q}ICMP type, code and checksum`]);
    if (quoted) return;
    const type = view.getUint8(at);
    const echo = protocol === 1 ? type === 0 || type === 8 : type === 128 || type === 129;
    if (echo && at + 8 <= end) spans.push([at + 4, at + 8, 'ICMP echo identifier and sequence']);
    const error = protocol === 1 ? ICMP4_ERRORS.has(type) : ICMP6_ERRORS.has(type);
    if (!error || at + 8 > end) return;
    // The second word is not claimed (unused bytes pass through as they came), except a
    // redirect's gateway, an address. The quoted packet's header fields are claimed like any.
    if (protocol === 1 && type === 5) spans.push([at + 4, at + 8, 'ICMP redirect gateway', true]);
    if (protocol === 1) ipv4(view, at + 8, spans, true);
    else ipv6(view, at + 8, spans, true);
  }
}

/**
 * A DNS message: the 12-byte header, then each question's type and class and each record's type,
 * class, TTL and length are numbers; A and AAAA data are addresses; names are text (not claimed)
 * apart from compression pointers and the root label. Stops at the first thing out of bounds.
 */
function dnsMessage(view: DataView, at: number, spans: Span[]): void {
  const end = view.byteLength;
  if (at + 12 > end) return;
  spans.push([at, at + 12, 'DNS header']);
  const questions = view.getUint16(at + 4);
  const records = view.getUint16(at + 6) + view.getUint16(at + 8) + view.getUint16(at + 10);
  let o = at + 12;
  for (let i = 0; i < questions + records; i++) {
    o = dnsName(view, o, spans);
    if (o < 0) return;
    if (i < questions) {
      if (o + 4 > end) return;
      spans.push([o, o + 4, 'DNS question type and class']);
      o += 4;
      continue;
    }
    if (o + 10 > end) return;
    spans.push([o, o + 10, 'DNS record type, class, TTL and length']);
    const type = view.getUint16(o);
    const length = view.getUint16(o + 8);
    o += 10;
    if (o + length > end) return;
    if ((type === 1 && length === 4) || (type === 28 && length === 16)) spans.push([o, o + length, `DNS ${type === 1 ? 'A' : 'AAAA'} record data`, true]);
    o += length;
  }
}

/** Skips a DNS name at `o`, claiming its pointer or root label; -1 when it runs out of bounds. */
function dnsName(view: DataView, o: number, spans: Span[]): number {
  const end = view.byteLength;
  for (let labels = 0; o < end && labels < 128; labels++) {
    const len = view.getUint8(o);
    if (len === 0) {
      spans.push([o, o + 1, 'DNS name end']);
      return o + 1;
    }
    if ((len & 0xc0) === 0xc0) {
      if (o + 2 > end) return -1;
      spans.push([o, o + 2, 'DNS name pointer']);
      return o + 2;
    }
    if (len & 0xc0) return -1;
    o += 1 + len;
  }
  return -1;
}

/** The span [from, to) lies wholly inside, if any. */
export function spanHolding(spans: readonly Span[], from: number, to: number): Span | undefined {
  return spans.find(([start, end]) => from >= start && to <= end);
}

/**
 * Why a match [from, to) of a frame is a coincidence, or undefined when it may be a leak: wholly
 * inside one number field, or across adjacent header fields without lying wholly inside one
 * address field (see the top of this file).
 */
export function coincidenceField(spans: readonly Span[], from: number, to: number): string | undefined {
  const holder = spanHolding(spans, from, to);
  if (holder) return holder[3] ? undefined : holder[2];
  // Walk the spans covering [from, to) without a gap; spans are in frame order.
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let pos = from;
  let first: string | undefined;
  let last = '';
  for (const [start, end, what] of sorted) {
    if (end <= pos) continue;
    if (start > pos) return undefined;
    first ??= what;
    last = what;
    pos = end;
    if (pos >= to) return `across the ${first} and the ${last}`;
  }
  return undefined;
}
