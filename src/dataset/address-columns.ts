// Source and Destination columns as Wireshark shows them with name resolution off: IP
// addresses for IP packets, MAC addresses (never vendor-prefixed names) otherwise.

import { macToText, v4ToText, v6ToText } from '../util/address-text.ts';
import { LINKTYPE } from '../capture/pcap-file.ts';
import { type FrameLayers, linkLayer } from './link-layer.ts';

export class AddressColumns {
  source = '';
  destination = '';
  private readonly v4Cache = new Map<number, string>();
  private readonly layers: FrameLayers = { net: -1, etherType: -1 };

  /** Fills `source` and `destination` for one frame. */
  read(d: Uint8Array, linkType: number): void {
    linkLayer(d, linkType, this.layers);
    const o = this.layers.net;
    const t = this.layers.etherType;
    if (o >= 0 && t === 0x0800 && o + 20 <= d.length) {
      this.source = this.v4(d, o + 12);
      this.destination = this.v4(d, o + 16);
    } else if (o >= 0 && t === 0x86dd && o + 40 <= d.length) {
      this.source = v6ToText(d, o + 8);
      this.destination = v6ToText(d, o + 24);
    } else if (linkType === LINKTYPE.ETHERNET && d.length >= 14) {
      this.source = macToText(d, 6);
      this.destination = macToText(d, 0);
    } else {
      this.source = '';
      this.destination = '';
    }
  }

  private v4(d: Uint8Array, o: number): string {
    const a = ((d[o] << 24) | (d[o + 1] << 16) | (d[o + 2] << 8) | d[o + 3]) >>> 0;
    let s = this.v4Cache.get(a);
    if (s === undefined) { s = v4ToText(a); this.v4Cache.set(a, s); }
    return s;
  }
}
