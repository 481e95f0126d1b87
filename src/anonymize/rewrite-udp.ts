// UDP: header kept; DNS-family (53, 5353, 5355, 137) and DHCP (67, 68) messages rewritten and
// kept when whole; any other payload cut unless asked. Checksum as for TCP; an IPv4 UDP
// checksum of 0 ("none") stays 0.

import { adjust, finish, get16, put16, sum16 } from './checksum.ts';
import { rewriteDhcp } from './rewrite-dhcp.ts';
import { rewriteDns } from './rewrite-dns.ts';
import type { RewriteContext } from './rewrite-context.ts';
import type { TransportFrame } from './transport.ts';

const isDnsPort = (p: number): boolean => p === 53 || p === 5353 || p === 5355 || p === 137;

export function rewriteUdp(b: Uint8Array, f: TransportFrame, ctx: RewriteContext): number {
  const t = f.t;
  if (t + 8 > f.end) return t;
  const sport = get16(b, t);
  const dport = get16(b, t + 2);
  const oldCk = get16(b, t + 6);
  put16(b, t + 6, 0);
  const oldSum = f.pseudoOld + sum16(b, t, t + 8);
  let end = f.end;
  let rewritten = false;
  if (f.complete && (isDnsPort(sport) || isDnsPort(dport)) && ctx.dns === 'rewrite') {
    const nbns = sport === 137 || dport === 137;
    const newEnd = rewriteDns(b, t + 8, f.end, ctx, nbns);
    if (newEnd >= 0) {
      rewritten = true;
      if (newEnd !== f.end) {
        ctx.lenDelta = newEnd - f.end;
        put16(b, t + 4, newEnd - t);
      }
      end = newEnd;
    }
  } else if (f.complete && (sport === 67 || sport === 68 || dport === 67 || dport === 68)) {
    rewritten = rewriteDhcp(b, t + 8, f.end, ctx);
  }
  const keep = rewritten || ctx.keepPayload ? end : t + 8;
  if ((oldCk === 0 && !f.v6) || !ctx.checksums) { put16(b, t + 6, oldCk); return keep; }
  let ck: number;
  if (f.complete && keep === end) {
    // Pseudo-header length word follows the UDP length, which a rebuilt message may change.
    const rest = f.pseudoRest + (end - t) - (f.end - t);
    ck = finish(f.pseudoNew + rest + sum16(b, t, end));
  } else {
    ck = adjust(oldCk, oldSum, f.pseudoNew + sum16(b, t, t + 8));
  }
  put16(b, t + 6, ck === 0 ? 0xffff : ck);
  return keep;
}
