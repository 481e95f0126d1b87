// ICMPv4: echo and timestamp keep their header (data cut unless asked); errors (unreachable,
// source quench, redirect, time exceeded, parameter problem) keep their header and the rewritten
// quote; a redirect's gateway is mapped; other types are cut after the type/code/checksum.
// The checksum is updated incrementally, so it stays right for the whole message on the wire.

import { adjust, finish, get16, put16, sum16 } from './checksum.ts';
import { mapV4At, type RewriteContext } from './rewrite-context.ts';
import { rewriteQuotedIpv4 } from './rewrite-quote.ts';
import type { TransportFrame } from './transport.ts';

/** Error types 3, 4, 5, 11 and 12 as bits of a mask. */
const ERRORS = (1 << 3) | (1 << 4) | (1 << 5) | (1 << 11) | (1 << 12);

export function rewriteIcmp(b: Uint8Array, f: TransportFrame, ctx: RewriteContext): number {
  const t = f.t;
  if (t + 8 > f.end) return Math.min(f.end, t + 4) >= t + 4 ? t + 4 : t;
  const type = b[t];
  // Echo and timestamp: nothing in them changes, nor does their checksum.
  if (type === 0 || type === 8) return ctx.keepPayload ? f.end : t + 8;
  if (type === 13 || type === 14) return Math.min(f.end, t + 20);
  const oldCk = get16(b, t + 2);
  put16(b, t + 2, 0);
  // Only the header and the quote's headers can change: sum just that region.
  const region = Math.min(f.end, t + 8 + 60 + 60);
  const oldSum = sum16(b, t, region);
  let keep: number;
  if (type <= 12 && ((ERRORS >> type) & 1) === 1) {
    if (type === 5) mapV4At(ctx, b, t + 4);
    keep = rewriteQuotedIpv4(b, t + 8, f.end, ctx);
  } else {
    put16(b, t + 2, oldCk);
    return t + 4;
  }
  if (!ctx.checksums) { put16(b, t + 2, oldCk); return keep; }
  const ck = f.complete && keep === f.end ? finish(sum16(b, t, f.end)) : adjust(oldCk, oldSum, sum16(b, t, region));
  put16(b, t + 2, ck);
  return keep;
}
