// State shared by the per-protocol rewriters for one packet.

import type { AddressMapper } from './mapper.ts';

export interface RewriteOptions {
  /** Keep bytes beyond the transport header (default: cut; the wire length is kept). */
  readonly keepPayload: boolean;
  /** DNS/mDNS/LLMNR/NBNS: 'rewrite' keeps names and rewrites address records; 'cut' cuts them. */
  readonly dns: 'rewrite' | 'cut';
}

export interface RewriteContext extends RewriteOptions {
  readonly map: AddressMapper;
  /** Change of the packet's wire length made by a rebuilt message (DNS); set per packet. */
  lenDelta: number;
  /** False in the collecting pass: nothing is written, so checksums are not worth computing. */
  readonly checksums: boolean;
  /** Scratch space for rebuilt messages. */
  readonly scratch: Uint8Array;
  /** How far a rebuilt (longer) message may reach in the packet's buffer; set per packet. */
  outEnd: number;
  /** Reused per packet by the IP rewriters for the transport rewriter they call (one at a time). */
  readonly frame: { t: number; end: number; complete: boolean; pseudoOld: number; pseudoNew: number; pseudoRest: number; v6: boolean };
}

/** Mapper helper: rewrites the IPv4 address at b[o] in place. */
export function mapV4At(ctx: RewriteContext, b: Uint8Array, o: number): void {
  const a = ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  const m = ctx.map.v4(a);
  if (m === a) return;
  b[o] = m >>> 24;
  b[o + 1] = (m >>> 16) & 0xff;
  b[o + 2] = (m >>> 8) & 0xff;
  b[o + 3] = m & 0xff;
}
