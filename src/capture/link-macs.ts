// Which packets a MAC address sent or received, from the link-layer header of each frame
// (Ethernet source and destination; the source address of Linux cooked captures). The decoded
// columns keep the IP addresses of IP packets, so a MAC given to `--scanner` needs this pass.

import { LINKTYPE, readCapture } from './pcap-file.ts';

/** 1 for each packet whose link-layer source or destination is one of `macs` (48-bit values). */
export function packetsOfMacs(path: string, macs: ReadonlySet<number>, packets: number): Uint8Array {
  const hit = new Uint8Array(packets);
  const at = (b: Uint8Array, o: number) => ((b[o] << 8) | b[o + 1]) * 4294967296 + (((b[o + 2] << 24) | (b[o + 3] << 16) | (b[o + 4] << 8) | b[o + 5]) >>> 0);
  readCapture(path, (r) => {
    if (r.index >= packets) return;
    const d = r.data;
    let found = false;
    if (r.linkType === LINKTYPE.ETHERNET && r.capLen >= 12) found = macs.has(at(d, 0)) || macs.has(at(d, 6));
    else if (r.linkType === LINKTYPE.LINUX_SLL && r.capLen >= 14 && ((d[4] << 8) | d[5]) === 6) found = macs.has(at(d, 6));
    else if (r.linkType === LINKTYPE.LINUX_SLL2 && r.capLen >= 20 && d[11] === 6) found = macs.has(at(d, 12));
    if (found) hit[r.index] = 1;
  });
  return hit;
}

/** A MAC written with colons or dashes as its 48-bit value; undefined for anything else. */
export function macValue(text: string): number | undefined {
  if (!/^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i.test(text)) return undefined;
  return parseInt(text.replace(/[:-]/g, ''), 16);
}
