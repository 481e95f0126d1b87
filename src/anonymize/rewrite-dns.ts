// DNS, mDNS, LLMNR and NBNS messages: parsed whole and rebuilt without compression. Names are
// kept, except reverse-lookup names, which are mapped; A, AAAA and NBNS NB records are mapped;
// name-valued records (PTR, CNAME, NS, DNAME, MX, SRV, SOA) kept with their names rewritten;
// OPT kept without its options (EDNS client subnet and cookies go). Every other record type
// (TXT, HINFO, NSEC, NBSTAT with its MAC, ...) is dropped and the counts fixed.
// Returns the new end of the message, or -1 when the message does not parse (caller cuts it).

import { get16, put16 } from './checksum.ts';
import { mapReverseName, readName, writeName } from './dns-names.ts';
import { mapV4At, type RewriteContext } from './rewrite-context.ts';

const A = 1, NS = 2, CNAME = 5, SOA = 6, PTR = 12, MX = 15, AAAA = 28, SRV = 33, DNAME = 39, OPT = 41, NB = 32;

export function rewriteDns(b: Uint8Array, start: number, end: number, ctx: RewriteContext, nbns: boolean): number {
  if (end - start < 12) return -1;
  const out = ctx.scratch;
  out.set(b.subarray(start, start + 12), 0);
  let o = 12;
  let p = start + 12;
  const qd = get16(b, start + 4);
  const counts = [get16(b, start + 6), get16(b, start + 8), get16(b, start + 10)];
  for (let i = 0; i < qd; i++) {
    const n = readName(b, start, end, p);
    if (!n || n.next + 4 > end) return -1;
    o = writeName(out, o, mapReverseName(n.labels, ctx.map));
    out.set(b.subarray(n.next, n.next + 4), o);
    o += 4;
    p = n.next + 4;
  }
  const kept = [0, 0, 0];
  for (let s = 0; s < 3; s++) {
    for (let i = 0; i < counts[s]; i++) {
      const n = readName(b, start, end, p);
      if (!n || n.next + 10 > end) return -1;
      const type = get16(b, n.next);
      const rdlen = get16(b, n.next + 8);
      const rd = n.next + 10;
      if (rd + rdlen > end) return -1;
      p = rd + rdlen;
      const rrStart = o;
      o = writeName(out, o, mapReverseName(n.labels, ctx.map));
      out.set(b.subarray(n.next, n.next + 8), o); // type, class, ttl
      const rdlenAt = o + 8;
      o += 10;
      const rdStart = o;
      let keep = true;
      if (type === A && !nbns && rdlen === 4) {
        out.set(b.subarray(rd, rd + 4), o); mapV4At(ctx, out, o); o += 4;
      } else if (type === AAAA && rdlen === 16) {
        out.set(b.subarray(rd, rd + 16), o); ctx.map.v6(out, o); o += 16;
      } else if (type === NB && nbns && rdlen % 6 === 0) {
        out.set(b.subarray(rd, rd + rdlen), o);
        for (let k = 0; k < rdlen; k += 6) mapV4At(ctx, out, o + k + 2);
        o += rdlen;
      } else if (!nbns && (type === PTR || type === CNAME || type === NS || type === DNAME)) {
        const t = readName(b, start, end, rd);
        if (!t) return -1;
        o = writeName(out, o, mapReverseName(t.labels, ctx.map));
      } else if (!nbns && type === MX && rdlen >= 3) {
        out.set(b.subarray(rd, rd + 2), o); o += 2;
        const t = readName(b, start, end, rd + 2);
        if (!t) return -1;
        o = writeName(out, o, t.labels);
      } else if (!nbns && type === SRV && rdlen >= 7) {
        out.set(b.subarray(rd, rd + 6), o); o += 6;
        const t = readName(b, start, end, rd + 6);
        if (!t) return -1;
        o = writeName(out, o, t.labels);
      } else if (!nbns && type === SOA) {
        const m = readName(b, start, end, rd);
        const r = m && readName(b, start, end, m.next);
        if (!m || !r || r.next + 20 > rd + rdlen) return -1;
        o = writeName(out, o, m.labels);
        o = writeName(out, o, r.labels);
        out.set(b.subarray(r.next, r.next + 20), o); o += 20;
      } else if (type === OPT && !nbns) {
        // Keep the record (payload size, flags), drop its options.
      } else {
        keep = false;
      }
      if (!keep) { o = rrStart; continue; }
      put16(out, rdlenAt, o - rdStart);
      kept[s]++;
      if (o > out.length - 1024) return -1;
    }
  }
  put16(out, 6, kept[0]);
  put16(out, 8, kept[1]);
  put16(out, 10, kept[2]);
  if (start + o > b.length) return -1;
  b.set(out.subarray(0, o), start);
  return start + o;
}
