// Every encoding of an original address that verify-anon looks for. Only addresses the mapping
// changes count (address-class.ts: kept-class addresses such as 127.0.0.1, 255.255.255.255,
// multicast groups, ff:ff:ff:ff:ff:ff are expected to stay and are not searched).
//
// IPv4: 4 raw bytes; dotted text (also zero-padded); reversed dotted text (in-addr.arpa) and its
//       DNS wire form; 8 hex digits with no separator or ':', '-', '.', ' ' between bytes.
// IPv6: 16 raw bytes; RFC 5952 text, uncompressed and fully expanded text; 32 hex digits with
//       any of those separators between bytes or 4-digit groups; ip6.arpa nibbles (text and
//       DNS wire form).
// MAC:  6 raw bytes; 12 hex digits with any separator between bytes or 4-digit groups (Cisco
//       aabb.ccdd.eeff); its EUI-64 interface ID as 8 raw bytes and as hex (groups, padded or
//       not, as inside IPv6 text).
// Text is matched case-insensitively; decimal and IPv6 text must not sit inside a longer number
// or address (198.18.0.1 is not found inside 198.18.0.10).

import { classifyMac, classifyV4, classifyV6, eui64FromMac } from './address-class.ts';
import { bytesToHex, macToText, v4ToText, v6ToText, v6ToFullText } from '../util/address-text.ts';
import { macFromKey, v6FromKey } from './mapper.ts';

export type Boundary = 'none' | 'decimal' | 'ipv6';

export interface LeakPattern {
  readonly bytes: Uint8Array;
  /** Compare ASCII letters case-insensitively. */
  readonly text: boolean;
  readonly boundary: Boundary;
  /** The original address as text. */
  readonly address: string;
  /** How it was encoded, e.g. "dotted text", "raw 4 bytes". */
  readonly encoding: string;
}

const SEPARATORS = ['', ':', '-', '.', ' '];
const ascii = (s: string) => new TextEncoder().encode(s);

function hexForms(bytes: Uint8Array, address: string, what: string, out: LeakPattern[]): void {
  const hex = bytesToHex(bytes, 0, bytes.length);
  const groups2 = hex.match(/../g)!;
  const groups4 = hex.length % 4 === 0 ? hex.match(/..../g)! : [];
  const seen = new Set<string>();
  for (const sep of SEPARATORS) {
    for (const [groups, label] of [[groups2, 'bytes'], [groups4, '4-digit groups']] as const) {
      if (groups.length === 0) continue;
      const s = groups.join(sep);
      if (seen.has(s)) continue;
      seen.add(s);
      out.push({ bytes: ascii(s), text: true, boundary: 'none', address, encoding: `${what} hex text (${sep ? `'${sep}' between ${label}` : 'no separator'})` });
    }
  }
}

function dnsWire(labels: string[]): Uint8Array {
  const parts: number[] = [];
  for (const l of labels) { parts.push(l.length); for (const c of l) parts.push(c.charCodeAt(0)); }
  return Uint8Array.from(parts);
}

export function v4Patterns(a: number): LeakPattern[] {
  const address = v4ToText(a);
  const octets = [a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff];
  const out: LeakPattern[] = [
    { bytes: Uint8Array.from(octets), text: false, boundary: 'none', address, encoding: 'raw 4 bytes' },
    { bytes: ascii(address), text: true, boundary: 'decimal', address, encoding: 'dotted text' },
    { bytes: ascii([...octets].reverse().join('.')), text: true, boundary: 'decimal', address, encoding: 'reversed dotted text (in-addr.arpa)' },
    { bytes: dnsWire([...octets].reverse().map(String).concat('in-addr')), text: true, boundary: 'none', address, encoding: 'in-addr.arpa DNS name' },
  ];
  const padded = octets.map((o) => String(o).padStart(3, '0')).join('.');
  if (padded !== address) out.push({ bytes: ascii(padded), text: true, boundary: 'decimal', address, encoding: 'zero-padded dotted text' });
  hexForms(Uint8Array.from(octets), address, 'IPv4', out);
  return out;
}

export function v6Patterns(b: Uint8Array): LeakPattern[] {
  const address = v6ToText(b);
  const out: LeakPattern[] = [{ bytes: b.slice(0, 16), text: false, boundary: 'none', address, encoding: 'raw 16 bytes' }];
  const texts = new Set([address, v6ToFullText(b), v6ToFullText(b).split(':').map((g) => g.replace(/^0+(?=.)/, '')).join(':')]);
  for (const t of texts) out.push({ bytes: ascii(t), text: true, boundary: 'ipv6', address, encoding: 'IPv6 text' });
  hexForms(b, address, 'IPv6', out);
  const nibbles = bytesToHex(b, 0, 16).split('').reverse();
  out.push({ bytes: ascii(nibbles.join('.')), text: true, boundary: 'none', address, encoding: 'ip6.arpa nibble text' });
  out.push({ bytes: dnsWire(nibbles), text: true, boundary: 'none', address, encoding: 'ip6.arpa DNS name' });
  return out;
}

export function macPatterns(m: Uint8Array): LeakPattern[] {
  const address = macToText(m);
  const out: LeakPattern[] = [{ bytes: m.slice(0, 6), text: false, boundary: 'none', address, encoding: 'raw 6 bytes' }];
  hexForms(m, address, 'MAC', out);
  const eui = new Uint8Array(8);
  eui64FromMac(m, 0, eui, 0);
  out.push({ bytes: eui, text: false, boundary: 'none', address, encoding: 'EUI-64 interface ID, raw 8 bytes' });
  hexForms(eui, address, 'EUI-64', out);
  const groups = bytesToHex(eui, 0, 8).match(/..../g)!;
  out.push({ bytes: ascii(groups.map((g) => g.replace(/^0+(?=.)/, '')).join(':')), text: true, boundary: 'none', address, encoding: 'EUI-64 interface ID in IPv6 text' });
  return out;
}

/** Patterns for every changed address among the collected originals. */
export function buildLeakPatterns(found: { v4s: Iterable<number>; v6s: Iterable<string>; macs: Iterable<number> }): { patterns: LeakPattern[]; counts: { ipv4: number; ipv6: number; mac: number } } {
  const patterns: LeakPattern[] = [];
  const counts = { ipv4: 0, ipv6: 0, mac: 0 };
  for (const a of found.v4s) {
    if (classifyV4(a) === 'kept') continue;
    counts.ipv4++;
    patterns.push(...v4Patterns(a));
  }
  for (const k of found.v6s) {
    const b = v6FromKey(k);
    const cls = classifyV6(b, 0);
    if (cls === 'kept' || cls === 'v4-mapped') continue; // a v4-mapped address is searched as its IPv4
    counts.ipv6++;
    patterns.push(...v6Patterns(b));
  }
  const m = new Uint8Array(6);
  for (const k of found.macs) {
    macFromKey(k, m, 0);
    if (classifyMac(m, 0) === 'kept') continue;
    counts.mac++;
    patterns.push(...macPatterns(m));
  }
  return { patterns, counts };
}
