// ICMPv6: errors keep the rewritten quote; echo keeps its header; neighbour discovery (RS, RA,
// NS, NA, redirect) has its target/destination mapped and its options whitelisted (link-layer
// address options mapped as MACs, prefix information and RDNSS mapped, MTU kept; the packet is
// cut at any other option); MLDv1/v2 group and source addresses mapped. Other types are cut after
// type/code/checksum. Checksum recomputed when whole, else updated incrementally.

import { adjust, finish, get16, put16, sum16 } from './checksum.ts';
import type { RewriteContext } from './rewrite-context.ts';
import { rewriteQuotedIpv6 } from './rewrite-quote.ts';
import type { TransportFrame } from './transport.ts';

export function rewriteIcmpv6(b: Uint8Array, f: TransportFrame, ctx: RewriteContext): number {
  const t = f.t;
  if (t + 4 > f.end) return t;
  if (t + 8 > f.end) return t + 4;
  const type = b[t];
  const oldCk = get16(b, t + 2);
  put16(b, t + 2, 0);
  const oldSum = f.pseudoOld + sum16(b, t, f.end);
  let keep: number;
  if (type >= 1 && type <= 4) keep = rewriteQuotedIpv6(b, t + 8, f.end, ctx);
  else if (type === 128 || type === 129) keep = ctx.keepPayload ? f.end : t + 8;
  else if (type === 133) keep = ndOptions(b, t + 8, f.end, ctx);
  else if (type === 134) keep = t + 16 <= f.end ? ndOptions(b, t + 16, f.end, ctx) : t + 8;
  else if (type === 135 || type === 136) keep = t + 24 <= f.end ? (ctx.map.v6(b, t + 8), ndOptions(b, t + 24, f.end, ctx)) : t + 8;
  else if (type === 137) keep = t + 40 <= f.end ? (ctx.map.v6(b, t + 8), ctx.map.v6(b, t + 24), ndOptions(b, t + 40, f.end, ctx)) : t + 8;
  else if (type === 130 || type === 131 || type === 132) keep = t + 24 <= f.end ? (ctx.map.v6(b, t + 8), t + 24) : t + 8;
  else if (type === 143) keep = mldv2Report(b, t, f.end, ctx);
  else {
    put16(b, t + 2, oldCk);
    return t + 4;
  }
  if (!ctx.checksums) { put16(b, t + 2, oldCk); return keep; }
  const ck = f.complete && keep === f.end
    ? finish(f.pseudoNew + f.pseudoRest + sum16(b, t, f.end))
    : adjust(oldCk, oldSum, f.pseudoNew + sum16(b, t, f.end));
  put16(b, t + 2, ck);
  return keep;
}

/** Walks ND options from `o`; returns where the kept part ends. */
function ndOptions(b: Uint8Array, o: number, end: number, ctx: RewriteContext): number {
  while (o + 2 <= end) {
    const type = b[o];
    const len = b[o + 1] * 8;
    if (len === 0 || o + len > end) return o;
    if ((type === 1 || type === 2) && len === 8) ctx.map.mac(b, o + 2);
    else if (type === 3 && len === 32) ctx.map.v6(b, o + 16);
    else if (type === 25 && len >= 24 && (len - 8) % 16 === 0) for (let k = o + 8; k < o + len; k += 16) ctx.map.v6(b, k);
    else if (type !== 5) return o;
    o += len;
  }
  return o;
}

function mldv2Report(b: Uint8Array, t: number, end: number, ctx: RewriteContext): number {
  const n = get16(b, t + 6);
  let o = t + 8;
  for (let i = 0; i < n; i++) {
    if (o + 20 > end) return o;
    const aux = b[o + 1] * 4;
    const sources = get16(b, o + 2);
    const recEnd = o + 20 + sources * 16 + aux;
    if (recEnd > end) return o;
    ctx.map.v6(b, o + 4);
    for (let k = 0; k < sources; k++) ctx.map.v6(b, o + 20 + k * 16);
    b.fill(0, recEnd - aux, recEnd);
    o = recEnd;
  }
  return o;
}
