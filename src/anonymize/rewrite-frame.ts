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
  const end = frame.length;
  out.set(frame, 0);
  ctx.lenDelta = 0;
  let keep = 0;
  switch (linkType) {
    case LINKTYPE.ETHERNET: {
      if (end < 14) break;
      ctx.map.mac(out, 0);
      ctx.map.mac(out, 6);
      let o = 12;
      let type = get16(out, o);
      while ((type === 0x8100 || type === 0x88a8) && o + 6 <= end) {
        o += 4;
        type = get16(out, o);
      }
      keep = network(out, type, o + 2, end, ctx);
      break;
    }
    case LINKTYPE.LINUX_SLL: {
      if (end < 16) break;
      linkAddress(out, 4, 6, ctx);
      keep = network(out, get16(out, 14), 16, end, ctx);
      break;
    }
    case LINKTYPE.LINUX_SLL2: {
      if (end < 20) break;
      out.fill(0, 4, 8); // interface index: says nothing useful about the lab, drop it
      linkAddress(out, 11, 12, ctx);
      keep = network(out, get16(out, 0), 20, end, ctx);
      break;
    }
    case LINKTYPE.RAW: {
      const v = end > 0 ? out[0] >> 4 : 0;
      keep = v === 4 ? rewriteIpv4(out, 0, end, ctx) : v === 6 ? rewriteIpv6(out, 0, end, ctx) : 0;
      break;
    }
    case LINKTYPE.IPV4:
      keep = rewriteIpv4(out, 0, end, ctx);
      break;
    case LINKTYPE.IPV6:
      keep = rewriteIpv6(out, 0, end, ctx);
      break;
  }
  result.capLen = keep;
  result.lenDelta = ctx.lenDelta;
}

/** Cooked-header link address: a 6-byte one is mapped as a MAC, anything else zeroed. */
function linkAddress(b: Uint8Array, lenAt: number, addrAt: number, ctx: RewriteContext): void {
  const n = b[lenAt] === undefined ? 0 : lenAt === 11 ? b[11] : get16(b, lenAt);
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
