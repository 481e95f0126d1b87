// IPv4: addresses mapped, options replaced by NOPs, header checksum recomputed, Ethernet padding
// after the datagram zeroed; TCP, UDP and ICMP handed on, any other protocol (and any fragment
// after the first) cut after the IP header.

import { finish, get16, put16, sum16 } from './checksum.ts';
import { mapV4At, type RewriteContext } from './rewrite-context.ts';
import { rewriteIcmp } from './rewrite-icmp.ts';
import { rewriteTcp } from './rewrite-tcp.ts';
import { rewriteUdp } from './rewrite-udp.ts';

export function rewriteIpv4(b: Uint8Array, o: number, end: number, ctx: RewriteContext): number {
  if (o + 20 > end || b[o] >> 4 !== 4) return o;
  const ihl = (b[o] & 0x0f) * 4;
  if (ihl < 20 || o + ihl > end) return o;
  const total = get16(b, o + 2);
  if (total < ihl) return o;
  const dgEnd = Math.min(end, o + total);
  const pseudoOld = sum16(b, o + 12, o + 20);
  mapV4At(ctx, b, o + 12);
  mapV4At(ctx, b, o + 16);
  if (ihl > 20) b.fill(1, o + 20, o + ihl);
  const pseudoNew = sum16(b, o + 12, o + 20);
  const flagsFrag = get16(b, o + 6);
  const fragmented = (flagsFrag & 0x3fff) !== 0;
  const proto = b[o + 9];
  const t = o + ihl;
  let keep = t;
  if ((flagsFrag & 0x1fff) === 0) {
    const f = ctx.frame;
    f.t = t; f.end = dgEnd; f.complete = !fragmented && o + total <= end;
    f.pseudoOld = pseudoOld; f.pseudoNew = pseudoNew; f.pseudoRest = proto + (dgEnd - t); f.v6 = false;
    if (proto === 6) keep = rewriteTcp(b, f, ctx);
    else if (proto === 17) keep = rewriteUdp(b, f, ctx);
    else if (proto === 1) keep = rewriteIcmp(b, f, ctx);
  }
  if (ctx.lenDelta !== 0) put16(b, o + 2, total + ctx.lenDelta);
  if (ctx.checksums) {
    put16(b, o + 10, 0);
    put16(b, o + 10, finish(sum16(b, o, o + ihl)));
  }
  if (keep === dgEnd && ctx.lenDelta === 0 && dgEnd < end) {
    b.fill(0, dgEnd, end); // Ethernet padding
    return end;
  }
  return keep;
}
