// DNS names: reading (with compression pointers) into label lists, and rewriting reverse-lookup
// names (in-addr.arpa, ip6.arpa) through the address mapping. Pure functions.

import type { AddressMapper } from './mapper.ts';

/** Reads a name at `o`; returns labels and the offset after the name in place, or undefined. */
export function readName(b: Uint8Array, msgStart: number, msgEnd: number, o: number): { labels: Uint8Array[]; next: number } | undefined {
  const labels: Uint8Array[] = [];
  let next = -1;
  let hops = 0;
  let total = 0;
  while (true) {
    if (o >= msgEnd) return undefined;
    const len = b[o];
    if (len === 0) { if (next < 0) next = o + 1; break; }
    if ((len & 0xc0) === 0xc0) {
      if (o + 1 >= msgEnd || ++hops > 64) return undefined;
      if (next < 0) next = o + 2;
      o = msgStart + (((len & 0x3f) << 8) | b[o + 1]);
      continue;
    }
    if (len & 0xc0) return undefined;
    if (o + 1 + len > msgEnd) return undefined;
    labels.push(b.subarray(o + 1, o + 1 + len));
    total += len + 1;
    if (total > 255) return undefined;
    o += 1 + len;
  }
  return { labels, next };
}

/**
 * Where the labels of a name lie, as readName finds them but without building them: offset of
 * each label's length byte, in order. Reused from name to name (at most 127 labels fit in 255).
 */
export class NameScan {
  readonly at = new Int32Array(128);
  count = 0;
  /** Offset after the name in place. */
  next = 0;
}

/** readName without allocation: fills `s` and returns true where readName returns a name. */
export function scanName(b: Uint8Array, msgStart: number, msgEnd: number, o: number, s: NameScan): boolean {
  let next = -1;
  let hops = 0;
  let total = 0;
  let count = 0;
  while (true) {
    if (o >= msgEnd) return false;
    const len = b[o];
    if (len === 0) { if (next < 0) next = o + 1; break; }
    if ((len & 0xc0) === 0xc0) {
      if (o + 1 >= msgEnd || ++hops > 64) return false;
      if (next < 0) next = o + 2;
      o = msgStart + (((len & 0x3f) << 8) | b[o + 1]);
      continue;
    }
    if (len & 0xc0) return false;
    if (o + 1 + len > msgEnd) return false;
    total += len + 1;
    if (total > 255) return false;
    s.at[count++] = o;
    o += 1 + len;
  }
  s.count = count;
  s.next = next;
  return true;
}

/** True when mapReverseName could change the scanned name: it ends in an "arpa" label. */
export function scannedIsArpa(b: Uint8Array, s: NameScan): boolean {
  if (s.count < 2) return false;
  const o = s.at[s.count - 1];
  return b[o] === 4 && (b[o + 1] | 0x20) === 0x61 && (b[o + 2] | 0x20) === 0x72 && (b[o + 3] | 0x20) === 0x70 && (b[o + 4] | 0x20) === 0x61;
}

/** The scanned name's labels, as readName returns them. */
export function scannedLabels(b: Uint8Array, s: NameScan): Uint8Array[] {
  const labels: Uint8Array[] = [];
  for (let i = 0; i < s.count; i++) labels.push(b.subarray(s.at[i] + 1, s.at[i] + 1 + b[s.at[i]]));
  return labels;
}

/**
 * Writes the scanned name uncompressed at `o` (through mapReverseName when `map` is given and
 * the name is a reverse-lookup one); returns the offset after. Same bytes as
 * writeName(out, o, map ? mapReverseName(labels, map) : labels).
 */
export function writeScanned(out: Uint8Array, o: number, b: Uint8Array, s: NameScan, map: AddressMapper | undefined): number {
  if (map && scannedIsArpa(b, s)) return writeName(out, o, mapReverseName(scannedLabels(b, s), map));
  for (let i = 0; i < s.count; i++) {
    const a = s.at[i];
    const len = b[a];
    out[o++] = len;
    for (let k = 1; k <= len; k++) out[o++] = b[a + k];
  }
  out[o++] = 0;
  return o;
}

/** Writes labels uncompressed at `o`; returns the offset after. */
export function writeName(out: Uint8Array, o: number, labels: Uint8Array[]): number {
  for (const l of labels) {
    out[o++] = l.length;
    out.set(l, o);
    o += l.length;
  }
  out[o++] = 0;
  return o;
}

/** ASCII bytes of a short label (digits, hex): TextEncoder costs microseconds per call. */
function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}
const lower = (l: Uint8Array): string => {
  let out = '';
  for (let i = 0; i < l.length; i++) out += String.fromCharCode(l[i] >= 0x41 && l[i] <= 0x5a ? l[i] | 0x20 : l[i]);
  return out;
};
/** True for a label equal to `word` (lower-case ASCII) ignoring case; no string built. */
function labelIs(l: Uint8Array, word: string): boolean {
  if (l.length !== word.length) return false;
  for (let i = 0; i < l.length; i++) if ((l[i] | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

/** Rewrites an in-addr.arpa or ip6.arpa name (whole or a zone prefix of one); other names as they are. */
export function mapReverseName(labels: Uint8Array[], map: AddressMapper): Uint8Array[] {
  const n = labels.length;
  if (n < 2 || !labelIs(labels[n - 1], 'arpa')) return labels;
  const zone = lower(labels[n - 2]);
  if (zone === 'in-addr') {
    const parts = labels.slice(0, n - 2).map(lower);
    if (parts.length === 0 || parts.length > 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return labels;
    const octets = parts.reverse().map(Number);
    while (octets.length < 4) octets.push(0);
    const a = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    const m = map.v4(a);
    const mo = [m >>> 24, (m >>> 16) & 0xff, (m >>> 8) & 0xff, m & 0xff].slice(0, parts.length).reverse();
    return [...mo.map((x) => ascii(String(x))), labels[n - 2], labels[n - 1]];
  }
  if (zone === 'ip6') {
    const nibbles = labels.slice(0, n - 2).map(lower);
    if (nibbles.length === 0 || nibbles.length > 32 || !nibbles.every((p) => /^[0-9a-f]$/.test(p))) return labels;
    const fwd = [...nibbles].reverse();
    const bytes = new Uint8Array(16);
    fwd.forEach((h, i) => { bytes[i >> 1] |= parseInt(h, 16) << (i & 1 ? 0 : 4); });
    map.v6(bytes, 0);
    const out: Uint8Array[] = [];
    for (let i = 0; i < fwd.length; i++) out.push(ascii(((bytes[i >> 1] >> (i & 1 ? 0 : 4)) & 0xf).toString(16)));
    return [...out.reverse(), labels[n - 2], labels[n - 1]];
  }
  return labels;
}
