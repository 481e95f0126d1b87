// The first pass's lean address scan: shows the collector every address field the rewriter
// (rewrite-frame.ts and the rewrite-*.ts it calls) would map, reading the frame where it lies
// (no copy, no output, no checksums). It follows the rewriter's own walk and bounds checks field
// for field, so it finds exactly the addresses a collecting rewrite would. It covers what
// captures are mostly made of (Ethernet, raw IP, IPv4 and IPv6 with TCP, UDP, ICMP errors, DNS,
// ARP) and returns false for anything else (DHCP, ICMPv6, cooked headers, very large DNS
// messages): the caller then runs the full rewriter with the collector on that frame.

import type { AddressCollector } from './address-collector.ts';
import { mapReverseName, NameScan, scanName, scannedIsArpa, scannedLabels } from './dns-names.ts';
import { LINKTYPE } from '../capture/pcap-file.ts';

/**
 * Collects the addresses of the frame at b[s, end). False: not understood here, run the full
 * rewriter on it (addresses already collected stay collected; the set is the same either way).
 */
export function collectFrame(b: Uint8Array, s: number, end: number, linkType: number, c: AddressCollector, dnsRewrite: boolean): boolean {
  if (linkType === LINKTYPE.ETHERNET) {
    if (end - s < 14) return true;
    c.mac(b, s);
    c.mac(b, s + 6);
    let o = s + 12;
    let type = (b[o] << 8) | b[o + 1];
    while ((type === 0x8100 || type === 0x88a8) && o + 6 <= end) {
      o += 4;
      type = (b[o] << 8) | b[o + 1];
    }
    o += 2;
    if (type === 0x0800) return ipv4(b, o, end, c, dnsRewrite);
    if (type === 0x86dd) return ipv6(b, o, end, c, dnsRewrite);
    if (type === 0x0806) { arp(b, o, end, c); return true; }
    return true;
  }
  if (linkType === LINKTYPE.RAW) {
    const v = end > s ? b[s] >> 4 : 0;
    return v === 4 ? ipv4(b, s, end, c, dnsRewrite) : v === 6 ? ipv6(b, s, end, c, dnsRewrite) : true;
  }
  if (linkType === LINKTYPE.IPV4) return ipv4(b, s, end, c, dnsRewrite);
  if (linkType === LINKTYPE.IPV6) return ipv6(b, s, end, c, dnsRewrite);
  return false;
}

const v4At = (b: Uint8Array, o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/** rewrite-arp.ts */
function arp(b: Uint8Array, o: number, end: number, c: AddressCollector): void {
  if (o + 28 > end || ((b[o] << 8) | b[o + 1]) !== 1 || ((b[o + 2] << 8) | b[o + 3]) !== 0x0800 || b[o + 4] !== 6 || b[o + 5] !== 4) return;
  c.mac(b, o + 8);
  c.v4(v4At(b, o + 14));
  c.mac(b, o + 18);
  c.v4(v4At(b, o + 24));
}

/** rewrite-ipv4.ts */
function ipv4(b: Uint8Array, o: number, end: number, c: AddressCollector, dnsRewrite: boolean): boolean {
  if (o + 20 > end || b[o] >> 4 !== 4) return true;
  const ihl = (b[o] & 0x0f) * 4;
  if (ihl < 20 || o + ihl > end) return true;
  const total = (b[o + 2] << 8) | b[o + 3];
  if (total < ihl) return true;
  const dgEnd = Math.min(end, o + total);
  c.v4(v4At(b, o + 12));
  c.v4(v4At(b, o + 16));
  const flagsFrag = (b[o + 6] << 8) | b[o + 7];
  if ((flagsFrag & 0x1fff) !== 0) return true;
  const proto = b[o + 9];
  const t = o + ihl;
  if (proto === 17) return udp(b, t, dgEnd, (flagsFrag & 0x3fff) === 0 && o + total <= end, c, dnsRewrite);
  if (proto === 1) icmp(b, t, dgEnd, c);
  return true; // TCP maps no address; other protocols are cut
}

/** rewrite-ipv6.ts */
function ipv6(b: Uint8Array, o: number, end: number, c: AddressCollector, dnsRewrite: boolean): boolean {
  if (o + 40 > end || b[o] >> 4 !== 6) return true;
  const plen = (b[o + 4] << 8) | b[o + 5];
  const dgEnd = Math.min(end, o + 40 + plen);
  c.v6(b, o + 8);
  c.v6(b, o + 24);
  let next = b[o + 6];
  let p = o + 40;
  let fragmented = false;
  while (next === 0 || next === 60 || next === 44) {
    if (p + 8 > dgEnd) return true;
    if (next === 44) {
      fragmented = true;
      if ((((b[p + 2] << 8) | b[p + 3]) & 0xfff8) !== 0) return true;
      next = b[p];
      p += 8;
      continue;
    }
    const len = (b[p + 1] + 1) * 8;
    if (p + len > dgEnd) return true;
    next = b[p]; // the rewriter only pads the options' contents
    p += len;
  }
  if (next === 17) return udp(b, p, dgEnd, !fragmented && o + 40 + plen <= end, c, dnsRewrite);
  if (next === 58) return false; // ICMPv6: neighbour discovery, MLD, quotes
  return true;
}

const isDnsPort = (p: number): boolean => p === 53 || p === 5353 || p === 5355 || p === 137;

/** rewrite-udp.ts */
function udp(b: Uint8Array, t: number, end: number, complete: boolean, c: AddressCollector, dnsRewrite: boolean): boolean {
  if (t + 8 > end || !complete) return true;
  const sport = (b[t] << 8) | b[t + 1];
  const dport = (b[t + 2] << 8) | b[t + 3];
  if ((isDnsPort(sport) || isDnsPort(dport)) && dnsRewrite) return dns(b, t + 8, end, c, sport === 137 || dport === 137);
  if (sport === 67 || sport === 68 || dport === 67 || dport === 68) return false; // DHCP
  return true;
}

/** Error types 3, 4, 5, 11 and 12 as bits of a mask. */
const ERRORS = (1 << 3) | (1 << 4) | (1 << 5) | (1 << 11) | (1 << 12);

/** rewrite-icmp.ts and rewriteQuotedIpv4 of rewrite-quote.ts */
function icmp(b: Uint8Array, t: number, end: number, c: AddressCollector): void {
  if (t + 8 > end) return;
  const type = b[t];
  if (type > 12 || ((ERRORS >> type) & 1) === 0) return;
  if (type === 5) c.v4(v4At(b, t + 4));
  const q = t + 8;
  if (q + 20 > end || b[q] >> 4 !== 4) return;
  const ihl = (b[q] & 0x0f) * 4;
  if (ihl < 20 || q + ihl > end) return;
  c.v4(v4At(b, q + 12));
  c.v4(v4At(b, q + 16));
}

/**
 * Longest message scanned here. rewriteDns gives up on a message whose rebuilt, uncompressed
 * form nears its 70,000-byte scratch space; no record grows more than 73-fold (an 11-byte record
 * with a compressed name becomes at most 798 bytes), so a message this short cannot get there
 * and every stop of the rewriter is a stop below. Longer ones go to the rewriter itself.
 */
const DNS_SCAN_MAX = 900;
const A = 1, NS = 2, CNAME = 5, SOA = 6, PTR = 12, MX = 15, AAAA = 28, SRV = 33, DNAME = 39, NB = 32;

const name = new NameScan();

/** A scanned name's reverse-lookup address, if it is one (mapReverseName maps nothing else). */
function reverse(b: Uint8Array, c: AddressCollector): void {
  if (scannedIsArpa(b, name)) mapReverseName(scannedLabels(b, name), c);
}

/** rewrite-dns.ts: the same walk, the same stops, the same fields mapped. */
function dns(b: Uint8Array, start: number, end: number, c: AddressCollector, nbns: boolean): boolean {
  if (end - start > DNS_SCAN_MAX) return false;
  if (end - start < 12) return true;
  let p = start + 12;
  const qd = (b[start + 4] << 8) | b[start + 5];
  const records = ((b[start + 6] << 8) | b[start + 7]) + ((b[start + 8] << 8) | b[start + 9]) + ((b[start + 10] << 8) | b[start + 11]);
  for (let i = 0; i < qd; i++) {
    if (!scanName(b, start, end, p, name) || name.next + 4 > end) return true;
    reverse(b, c);
    p = name.next + 4;
  }
  for (let i = 0; i < records; i++) {
    if (!scanName(b, start, end, p, name) || name.next + 10 > end) return true;
    const nx = name.next;
    const type = (b[nx] << 8) | b[nx + 1];
    const rdlen = (b[nx + 8] << 8) | b[nx + 9];
    const rd = nx + 10;
    if (rd + rdlen > end) return true;
    p = rd + rdlen;
    reverse(b, c);
    if (type === A && !nbns && rdlen === 4) {
      c.v4(v4At(b, rd));
    } else if (type === AAAA && rdlen === 16) {
      c.v6(b, rd);
    } else if (type === NB && nbns && rdlen % 6 === 0) {
      for (let k = 0; k < rdlen; k += 6) c.v4(v4At(b, rd + k + 2));
    } else if (!nbns && (type === PTR || type === CNAME || type === NS || type === DNAME)) {
      if (!scanName(b, start, end, rd, name)) return true;
      reverse(b, c);
    } else if (!nbns && type === MX && rdlen >= 3) {
      if (!scanName(b, start, end, rd + 2, name)) return true;
    } else if (!nbns && type === SRV && rdlen >= 7) {
      if (!scanName(b, start, end, rd + 6, name)) return true;
    } else if (!nbns && type === SOA) {
      if (!scanName(b, start, end, rd, name)) return true;
      if (!scanName(b, start, end, name.next, name) || name.next + 20 > rd + rdlen) return true;
    }
  }
  return true;
}
