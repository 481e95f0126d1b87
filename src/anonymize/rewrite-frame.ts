// One captured frame, whatever its link type: the link header (Ethernet with VLAN tags, Linux
// cooked v1/v2, raw IP) rewritten, then IPv4, IPv6 or ARP. Pure: copies `frame` into `out`,
// rewrites there and returns how many bytes of `out` to keep (anything not understood is cut)
// and how much the wire length changed.

import { get16 } from './checksum.ts';
import { LINKTYPE } from '../capture/pcap-file.ts';
import type { RewriteContext } from './rewrite-context.ts';
import { rewriteArp } from './rewrite-arp.ts';
import { rewriteIpv4 } from './rewrite-ipv4.ts';
import { rewriteIpv6 } from './rewrite-ipv6.ts';

export const SUPPORTED_LINK_TYPES: ReadonlySet<number> = new Set([
  LINKTYPE.ETHERNET, LINKTYPE.RAW, LINKTYPE.LINUX_SLL, LINKTYPE.IPV4, LINKTYPE.IPV6, LINKTYPE.LINUX_SLL2,
]);

export interface FrameResult {
  /** Bytes of `out` to keep. */
  capLen: number;
  /** Change of the wire length (a rebuilt DNS message). */
  lenDelta: number;
}

export function rewriteFrame(frame: Uint8Array, linkType: number, out: Uint8Array, ctx: RewriteContext, result: FrameResult): void {
  out.set(frame, 0);
  rewriteFrameIn(out, 0, frame.length, out.length, linkType, ctx, result);
}

/**
 * The same rewrite for a frame already copied to out[base, base + len), done in place there;
 * out[base, outEnd) is the room a rebuilt (longer) message may use. Lets a caller rewrite right
 * in a writer's buffer. `result.capLen` counts from `base`.
 */
export function rewriteFrameIn(out: Uint8Array, base: number, len: number, outEnd: number, linkType: number, ctx: RewriteContext, result: FrameResult): void {
  const end = base + len;
  ctx.lenDelta = 0;
  ctx.outEnd = outEnd;
  let keep = base;
  switch (linkType) {
    case LINKTYPE.ETHERNET: {
      if (len < 14) break;
      ctx.map.mac(out, base);
      ctx.map.mac(out, base + 6);
      let o = base + 12;
      let type = get16(out, o);
      while ((type === 0x8100 || type === 0x88a8) && o + 6 <= end) {
        o += 4;
        type = get16(out, o);
      }
      keep = network(out, type, o + 2, end, ctx);
      break;
    }
    case LINKTYPE.LINUX_SLL: {
      if (len < 16) break;
      linkAddress(out, get16(out, base + 4), base + 6, ctx);
      keep = network(out, get16(out, base + 14), base + 16, end, ctx);
      break;
    }
    case LINKTYPE.LINUX_SLL2: {
      if (len < 20) break;
      out.fill(0, base + 4, base + 8); // interface index: says nothing useful about the lab, drop it
      linkAddress(out, out[base + 11], base + 12, ctx);
      keep = network(out, get16(out, base), base + 20, end, ctx);
      break;
    }
    case LINKTYPE.RAW: {
      const v = len > 0 ? out[base] >> 4 : 0;
      keep = v === 4 ? rewriteIpv4(out, base, end, ctx) : v === 6 ? rewriteIpv6(out, base, end, ctx) : base;
      break;
    }
    case LINKTYPE.IPV4:
      keep = rewriteIpv4(out, base, end, ctx);
      break;
    case LINKTYPE.IPV6:
      keep = rewriteIpv6(out, base, end, ctx);
      break;
  }
  result.capLen = keep - base;
  result.lenDelta = ctx.lenDelta;
}

/** Cooked-header link address of length `n`: a 6-byte one is mapped as a MAC, anything else zeroed. */
function linkAddress(b: Uint8Array, n: number, addrAt: number, ctx: RewriteContext): void {
  if (n === 6) {
    ctx.map.mac(b, addrAt);
    b.fill(0, addrAt + 6, addrAt + 8);
  } else {
    b.fill(0, addrAt, addrAt + 8);
  }
}

function network(b: Uint8Array, type: number, o: number, end: number, ctx: RewriteContext): number {
  if (type === 0x0800) return rewriteIpv4(b, o, end, ctx);
  if (type === 0x86dd) return rewriteIpv6(b, o, end, ctx);
  if (type === 0x0806) return rewriteArp(b, o, end, ctx);
  return o;
}
