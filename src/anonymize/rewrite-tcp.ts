// TCP: ports and header kept; options whitelisted (MSS, window scale, SACK, timestamps; anything
// else, e.g. MPTCP ADD_ADDR, becomes NOPs); payload cut unless asked; checksum recomputed when
// the segment is whole, otherwise updated incrementally (RFC 1624) so it stays right for the
// anonymized segment on the wire.

import { adjust, finish, get16, put16, sum16 } from './checksum.ts';
import type { RewriteContext } from './rewrite-context.ts';
import type { TransportFrame } from './transport.ts';

/** Kinds 0, 1, 2, 3, 4, 5 and 8 as bits of a mask (a Set lookup per option costs more). */
const ALLOWED_OPTIONS = 0b1_0011_1111;

export function rewriteTcp(b: Uint8Array, f: TransportFrame, ctx: RewriteContext): number {
  const t = f.t;
  if (t + 20 > f.end) return t;
  const hdr = (b[t + 12] >> 4) * 4;
  if (hdr < 20 || t + hdr > f.end) return t;
  const oldCk = get16(b, t + 16);
  put16(b, t + 16, 0);
  const oldSum = f.pseudoOld + sum16(b, t, t + hdr);
  sanitizeOptions(b, t + 20, t + hdr);
  const keep = ctx.keepPayload ? f.end : t + hdr;
  if (!ctx.checksums) return keep;
  let ck: number;
  // Whole and kept: computed from scratch. Cut: tshark cannot verify it, and the incremental
  // update keeps it right for the anonymized segment on the wire without reading the payload.
  if (f.complete && keep === f.end) {
    ck = finish(f.pseudoNew + f.pseudoRest + sum16(b, t, f.end));
  } else {
    ck = adjust(oldCk, oldSum, f.pseudoNew + sum16(b, t, t + hdr));
  }
  put16(b, t + 16, ck);
  return keep;
}

function sanitizeOptions(b: Uint8Array, start: number, end: number): void {
  let i = start;
  while (i < end) {
    const kind = b[i];
    if (kind === 0) { b.fill(0, i, end); return; }
    if (kind === 1) { i++; continue; }
    const len = i + 1 < end ? b[i + 1] : 0;
    if (len < 2 || i + len > end) { b.fill(1, i, end); return; }
    if (kind > 8 || ((ALLOWED_OPTIONS >> kind) & 1) === 0) b.fill(1, i, i + len);
    i += len;
  }
}
