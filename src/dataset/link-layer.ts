// Where the network layer of a frame starts and what it is, for the address columns.

import { LINKTYPE } from '../capture/pcap-file.ts';

export interface FrameLayers {
  /** Offset of the network header, or -1. */
  net: number;
  /** 0x0800, 0x86dd, 0x0806 or another ethertype; -1 when unknown. */
  etherType: number;
}

/** Where the network layer starts and what it is. */
export function linkLayer(d: Uint8Array, linkType: number, out: FrameLayers): void {
  out.net = -1;
  out.etherType = -1;
  const n = d.length;
  if (linkType === LINKTYPE.ETHERNET) {
    if (n < 14) return;
    let o = 12;
    let t = (d[o] << 8) | d[o + 1];
    while ((t === 0x8100 || t === 0x88a8) && o + 6 <= n) { o += 4; t = (d[o] << 8) | d[o + 1]; }
    out.net = o + 2; out.etherType = t;
  } else if (linkType === LINKTYPE.LINUX_SLL) {
    if (n < 16) return;
    out.net = 16; out.etherType = (d[14] << 8) | d[15];
  } else if (linkType === LINKTYPE.LINUX_SLL2) {
    if (n < 20) return;
    out.net = 20; out.etherType = (d[0] << 8) | d[1];
  } else if (linkType === LINKTYPE.RAW || linkType === LINKTYPE.IPV4 || linkType === LINKTYPE.IPV6) {
    if (n < 1) return;
    out.net = 0; out.etherType = d[0] >> 4 === 4 ? 0x0800 : d[0] >> 4 === 6 ? 0x86dd : -1;
  }
}
