// The Protocol column: a Wireshark-like name for one (anonymized) frame. Minimal classifier
// kept behind this one function so the columnar decoder in src/capture/decode/ can replace it.
// Names follow Wireshark for what the anonymized capture can show: with payloads cut, TCP and
// UDP flows other than the rewritten DNS-family and DHCP messages show as TCP/UDP, as in tshark.

import { LINKTYPE } from '../capture/pcap-file.ts';

const UDP_APPS: ReadonlyMap<number, string> = new Map([
  [53, 'DNS'], [5353, 'MDNS'], [5355, 'LLMNR'], [137, 'NBNS'], [67, 'DHCP'], [68, 'DHCP'], [546, 'DHCPv6'], [547, 'DHCPv6'],
]);

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

const layers: FrameLayers = { net: -1, etherType: -1 };

export function protocolName(d: Uint8Array, linkType: number): string {
  linkLayer(d, linkType, layers);
  const o = layers.net;
  if (o < 0) return linkType === LINKTYPE.ETHERNET ? 'Ethernet' : 'Unknown';
  const n = d.length;
  switch (layers.etherType) {
    case 0x0806: return 'ARP';
    case 0x0800: {
      if (o + 20 > n) return 'IPv4';
      const proto = d[o + 9];
      const frag = ((d[o + 6] << 8) | d[o + 7]) & 0x1fff;
      if (frag !== 0) return 'IPv4';
      return transportName(d, proto, o + (d[o] & 0x0f) * 4, n, false);
    }
    case 0x86dd: {
      if (o + 40 > n) return 'IPv6';
      let next = d[o + 6];
      let p = o + 40;
      while ((next === 0 || next === 60 || next === 44) && p + 8 <= n) {
        if (next === 44) {
          if ((((d[p + 2] << 8) | d[p + 3]) & 0xfff8) !== 0) return 'IPv6';
          next = d[p]; p += 8;
        } else {
          next = d[p]; p += (d[p + 1] + 1) * 8;
        }
      }
      return transportName(d, next, p, n, true);
    }
    case 0x88cc: return 'LLDP';
    default: return layers.etherType < 0x0600 ? 'LLC' : 'Ethernet';
  }
}

function transportName(d: Uint8Array, proto: number, t: number, n: number, v6: boolean): string {
  if (proto === 6) return 'TCP';
  if (proto === 1) return 'ICMP';
  if (proto === 58) return 'ICMPv6';
  if (proto === 2) return 'IGMP';
  if (proto === 17) {
    if (t + 8 > n) return 'UDP';
    if (t + 8 === n) return 'UDP'; // payload cut: tshark cannot dissect the application
    const sport = (d[t] << 8) | d[t + 1];
    const dport = (d[t + 2] << 8) | d[t + 3];
    return UDP_APPS.get(dport) ?? UDP_APPS.get(sport) ?? 'UDP';
  }
  return v6 ? 'IPv6' : 'IPv4';
}
