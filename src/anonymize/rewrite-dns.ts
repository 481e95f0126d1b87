// DNS, mDNS, LLMNR and NBNS messages: parsed whole and rebuilt without compression. Names are
// kept, except reverse-lookup names, which are mapped; A, AAAA and NBNS NB records are mapped;
// name-valued records (PTR, CNAME, NS, DNAME, MX, SRV, SOA) kept with their names rewritten;
// OPT kept without its options (EDNS client subnet and cookies go). Every other record type
// (TXT, HINFO, NSEC, NBSTAT with its MAC, ...) is dropped and the counts fixed.
// Returns the new end of the message, or -1 when the message does not parse (caller cuts it).

import { get16, put16 } from './checksum.ts';
import { NameScan, scanName, writeScanned } from './dns-names.ts';
import { mapV4At, type RewriteContext } from './rewrite-context.ts';

const A = 1, NS = 2, CNAME = 5, SOA = 6, PTR = 12, MX = 15, AAAA = 28, SRV = 33, DNAME = 39, OPT = 41, NB = 32;

const name = new NameScan();

export function rewriteDns(b: Uint8Array, start: number, end: number, ctx: RewriteContext, nbns: boolean): number {
  if (end - start < 12) return -1;
  const out = ctx.scratch;
  const map = ctx.map;
  for (let i = 0; i < 12; i++) out[i] = b[start + i];
  let o = 12;
  let p = start + 12;
  const qd = get16(b, start + 4);
  const an = get16(b, start + 6);
  const ns = get16(b, start + 8);
  const ar = get16(b, start + 10);
  for (let i = 0; i < qd; i++) {
    if (!scanName(b, start, end, p, name) || name.next + 4 > end) return -1;
    o = writeScanned(out, o, b, name, map);
    const q = name.next;
    out[o] = b[q]; out[o + 1] = b[q + 1]; out[o + 2] = b[q + 2]; out[o + 3] = b[q + 3];
    o += 4;
    p = q + 4;
  }
  let kept0 = 0, kept1 = 0, kept2 = 0;
  for (let s = 0; s < 3; s++) {
    const count = s === 0 ? an : s === 1 ? ns : ar;
    for (let i = 0; i < count; i++) {
      if (!scanName(b, start, end, p, name) || name.next + 10 > end) return -1;
      const nx = name.next;
      const type = get16(b, nx);
      const rdlen = get16(b, nx + 8);
      const rd = nx + 10;
      if (rd + rdlen > end) return -1;
      p = rd + rdlen;
      const rrStart = o;
      o = writeScanned(out, o, b, name, map);
      for (let k = 0; k < 8; k++) out[o + k] = b[nx + k]; // type, class, ttl
      const rdlenAt = o + 8;
      o += 10;
      const rdStart = o;
      let keep = true;
      if (type === A && !nbns && rdlen === 4) {
        out[o] = b[rd]; out[o + 1] = b[rd + 1]; out[o + 2] = b[rd + 2]; out[o + 3] = b[rd + 3];
        mapV4At(ctx, out, o); o += 4;
      } else if (type === AAAA && rdlen === 16) {
        out.set(b.subarray(rd, rd + 16), o); map.v6(out, o); o += 16;
      } else if (type === NB && nbns && rdlen % 6 === 0) {
        out.set(b.subarray(rd, rd + rdlen), o);
        for (let k = 0; k < rdlen; k += 6) mapV4At(ctx, out, o + k + 2);
        o += rdlen;
      } else if (!nbns && (type === PTR || type === CNAME || type === NS || type === DNAME)) {
        if (!scanName(b, start, end, rd, name)) return -1;
        o = writeScanned(out, o, b, name, map);
      } else if (!nbns && type === MX && rdlen >= 3) {
        out[o] = b[rd]; out[o + 1] = b[rd + 1]; o += 2;
        if (!scanName(b, start, end, rd + 2, name)) return -1;
        o = writeScanned(out, o, b, name, undefined);
      } else if (!nbns && type === SRV && rdlen >= 7) {
        out.set(b.subarray(rd, rd + 6), o); o += 6;
        if (!scanName(b, start, end, rd + 6, name)) return -1;
        o = writeScanned(out, o, b, name, undefined);
      } else if (!nbns && type === SOA) {
        // Both names are checked before anything counts: a failure abandons the whole message.
        if (!scanName(b, start, end, rd, name)) return -1;
        o = writeScanned(out, o, b, name, undefined);
        if (!scanName(b, start, end, name.next, name) || name.next + 20 > rd + rdlen) return -1;
        o = writeScanned(out, o, b, name, undefined);
        out.set(b.subarray(name.next, name.next + 20), o); o += 20;
      } else if (type === OPT && !nbns) {
        // Keep the record (payload size, flags), drop its options.
      } else {
        keep = false;
      }
      if (!keep) { o = rrStart; continue; }
      put16(out, rdlenAt, o - rdStart);
      if (s === 0) kept0++; else if (s === 1) kept1++; else kept2++;
      if (o > out.length - 1024) return -1;
    }
  }
  put16(out, 6, kept0);
  put16(out, 8, kept1);
  put16(out, 10, kept2);
  if (start + o > ctx.outEnd) return -1;
  for (let i = 0; i < o; i++) b[start + i] = out[i];
  return start + o;
}
