// DHCP (BOOTP) messages, rewritten in place with their length unchanged: ciaddr, yiaddr,
// siaddr, giaddr and an Ethernet chaddr mapped; sname and file zeroed; options whitelisted
// (address options mapped, a client identifier of type 1 mapped as a MAC, plain values kept,
// everything else — host name, domain, vendor data, relay agent info, routes — dropped), the
// space they leave padded with PAD. Returns false (caller cuts) when it is not DHCP.

import { mapV4At, type RewriteContext } from './rewrite-context.ts';

const MAGIC = [0x63, 0x82, 0x53, 0x63];
/** Options whose value is a list of IPv4 addresses. */
const ADDRESS_OPTIONS = new Set([3, 4, 5, 6, 28, 41, 42, 44, 45, 50, 54, 65, 69, 70, 118]);
/** Options kept as they are: subnet mask, TTLs, lease times, message type, parameter list, sizes. */
const PLAIN_OPTIONS = new Set([1, 2, 13, 19, 23, 24, 26, 46, 51, 53, 55, 57, 58, 59, 80, 91, 108, 116]);

export function rewriteDhcp(b: Uint8Array, s: number, end: number, ctx: RewriteContext): boolean {
  if (end - s < 240) return false;
  for (let i = 0; i < 4; i++) if (b[s + 236 + i] !== MAGIC[i]) return false;
  for (const off of [12, 16, 20, 24]) mapV4At(ctx, b, s + off);
  if (b[s + 1] === 1 && b[s + 2] === 6) {
    ctx.map.mac(b, s + 28);
    b.fill(0, s + 34, s + 44);
  } else {
    b.fill(0, s + 28, s + 44);
  }
  b.fill(0, s + 44, s + 236); // sname, file
  const out = ctx.scratch;
  let o = 0;
  let p = s + 240;
  while (p < end) {
    const code = b[p];
    if (code === 0) { p++; continue; }
    if (code === 255) break;
    if (p + 1 >= end) break;
    const len = b[p + 1];
    const v = p + 2;
    if (v + len > end) break;
    if (ADDRESS_OPTIONS.has(code) && len % 4 === 0) {
      out.set(b.subarray(p, v + len), o);
      for (let k = 0; k < len; k += 4) mapV4At(ctx, out, o + 2 + k);
      o += 2 + len;
    } else if (PLAIN_OPTIONS.has(code)) {
      out.set(b.subarray(p, v + len), o);
      o += 2 + len;
    } else if (code === 61 && len === 7 && b[v] === 1) {
      out.set(b.subarray(p, v + len), o);
      ctx.map.mac(out, o + 3);
      o += 2 + len;
    }
    p = v + len;
  }
  const room = end - (s + 240);
  if (o < room) out[o++] = 255;
  b.set(out.subarray(0, Math.min(o, room)), s + 240);
  b.fill(0, s + 240 + Math.min(o, room), end);
  return true;
}
