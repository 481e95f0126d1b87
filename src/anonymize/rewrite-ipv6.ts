// IPv6: addresses mapped; hop-by-hop and destination options kept with every option other than
// padding and router alert turned into padding; a fragment header kept (later fragments cut
// after it); a routing header or any unknown next header cuts the packet there. TCP, UDP and
// ICMPv6 handed on.

import { get16, put16, sum16 } from './checksum.ts';
import type { RewriteContext } from './rewrite-context.ts';
import { rewriteIcmpv6 } from './rewrite-icmpv6.ts';
import { rewriteTcp } from './rewrite-tcp.ts';
import { rewriteUdp } from './rewrite-udp.ts';

export function rewriteIpv6(b: Uint8Array, o: number, end: number, ctx: RewriteContext): number {
  if (o + 40 > end || b[o] >> 4 !== 6) return o;
  const plen = get16(b, o + 4);
  const dgEnd = Math.min(end, o + 40 + plen);
  const pseudoOld = sum16(b, o + 8, o + 40);
  ctx.map.v6(b, o + 8);
  ctx.map.v6(b, o + 24);
  const pseudoNew = sum16(b, o + 8, o + 40);
  let next = b[o + 6];
  let p = o + 40;
  let fragmented = false;
  while (next === 0 || next === 60 || next === 44) {
    if (p + 8 > dgEnd) return p;
    if (next === 44) {
      fragmented = true;
      if ((get16(b, p + 2) & 0xfff8) !== 0) return p + 8;
      next = b[p];
      p += 8;
      continue;
    }
    const len = (b[p + 1] + 1) * 8;
    if (p + len > dgEnd) return p;
    padOptions(b, p + 2, p + len);
    next = b[p];
    p += len;
  }
  let keep = p;
  const f = ctx.frame;
  f.t = p; f.end = dgEnd; f.complete = !fragmented && o + 40 + plen <= end;
  f.pseudoOld = pseudoOld; f.pseudoNew = pseudoNew; f.pseudoRest = next + (dgEnd - p); f.v6 = true;
  if (next === 6) keep = rewriteTcp(b, f, ctx);
  else if (next === 17) keep = rewriteUdp(b, f, ctx);
  else if (next === 58) keep = rewriteIcmpv6(b, f, ctx);
  if (ctx.lenDelta !== 0) put16(b, o + 4, plen + ctx.lenDelta);
  if (keep === dgEnd && ctx.lenDelta === 0 && dgEnd < end) {
    b.fill(0, dgEnd, end);
    return end;
  }
  return keep;
}

function padOptions(b: Uint8Array, o: number, end: number): void {
  while (o < end) {
    const type = b[o];
    if (type === 0) { o++; continue; }
    if (o + 2 > end) { b.fill(0, o, end); return; }
    const len = 2 + b[o + 1];
    if (o + len > end) { b.fill(0, o, end); return; }
    if (type !== 1 && type !== 5) {
      b[o] = 1; // PadN
      b.fill(0, o + 2, o + len);
    }
    o += len;
  }
}
