// ARP over Ethernet for IPv4: sender and target hardware and protocol addresses mapped; any
// other ARP (other hardware or protocol types) cut. Padding after the message zeroed.

import { get16 } from './checksum.ts';
import { mapV4At, type RewriteContext } from './rewrite-context.ts';

export function rewriteArp(b: Uint8Array, o: number, end: number, ctx: RewriteContext): number {
  if (o + 28 > end || get16(b, o) !== 1 || get16(b, o + 2) !== 0x0800 || b[o + 4] !== 6 || b[o + 5] !== 4) return o;
  ctx.map.mac(b, o + 8);
  mapV4At(ctx, b, o + 14);
  ctx.map.mac(b, o + 18);
  mapV4At(ctx, b, o + 24);
  b.fill(0, o + 28, end);
  return end;
}
