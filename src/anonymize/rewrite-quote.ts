// The IP header and first transport bytes quoted inside an ICMP or ICMPv6 error. Addresses are
// mapped, the quoted IPv4 header checksum recomputed, and the quoted UDP/TCP checksum (where it
// was quoted) updated for the new pseudo-header. Ports stay. Returns where the kept quote ends:
// header plus 8 transport bytes, or everything quoted when payloads are kept.

import { adjust, finish, get16, put16, sum16 } from './checksum.ts';
import { mapV4At, type RewriteContext } from './rewrite-context.ts';

export function rewriteQuotedIpv4(b: Uint8Array, q: number, end: number, ctx: RewriteContext): number {
  if (q + 20 > end || b[q] >> 4 !== 4) return q;
  const ihl = (b[q] & 0x0f) * 4;
  if (ihl < 20 || q + ihl > end) return q;
  const pseudoOld = sum16(b, q + 12, q + 20);
  mapV4At(ctx, b, q + 12);
  mapV4At(ctx, b, q + 16);
  if (ihl > 20) b.fill(1, q + 20, q + ihl);
  put16(b, q + 10, 0);
  put16(b, q + 10, finish(sum16(b, q, q + ihl)));
  const pseudoNew = sum16(b, q + 12, q + 20);
  const fragOffset = get16(b, q + 6) & 0x1fff;
  const t = q + ihl;
  if (fragOffset === 0) fixQuotedTransport(b, b[q + 9], t, end, pseudoOld, pseudoNew);
  return quoteEnd(t, end, ctx);
}

export function rewriteQuotedIpv6(b: Uint8Array, q: number, end: number, ctx: RewriteContext): number {
  if (q + 40 > end || b[q] >> 4 !== 6) return q;
  const pseudoOld = sum16(b, q + 8, q + 40);
  ctx.map.v6(b, q + 8);
  ctx.map.v6(b, q + 24);
  const pseudoNew = sum16(b, q + 8, q + 40);
  const next = b[q + 6];
  const t = q + 40;
  // Only a transport header right after the fixed header is understood; the rest is cut.
  if (next !== 6 && next !== 17 && next !== 58) return t;
  fixQuotedTransport(b, next, t, end, pseudoOld, pseudoNew);
  return quoteEnd(t, end, ctx);
}

function quoteEnd(t: number, end: number, ctx: RewriteContext): number {
  return ctx.keepPayload ? end : Math.min(end, t + 8);
}

function fixQuotedTransport(b: Uint8Array, proto: number, t: number, end: number, oldSum: number, newSum: number): void {
  const at = proto === 17 ? t + 6 : proto === 6 ? t + 16 : proto === 58 ? t + 2 : -1;
  if (at < 0 || at + 2 > end) return;
  const ck = get16(b, at);
  if (proto === 17 && ck === 0) return;
  const n = adjust(ck, oldSum, newSum);
  put16(b, at, proto === 17 && n === 0 ? 0xffff : n);
}
