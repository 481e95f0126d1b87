// Protocol name of a frame whose payload was cut (no application bytes captured): what tshark
// shows then is the transport's name (TCP, UDP, ICMP...), or the DNS-family/DHCP name for the
// messages the anonymizer keeps. The columnar decoder names from ports and claimed lengths
// (e.g. "SSL" for a cut segment to port 443), so packets.csv uses this for cut frames.

import { LINKTYPE } from '../capture/pcap-file.ts';
import { type FrameLayers, linkLayer } from './link-layer.ts';

const UDP_APPS: ReadonlyMap<number, string> = new Map([
  [53, 'DNS'], [5353, 'MDNS'], [5355, 'LLMNR'], [137, 'NBNS'], [67, 'DHCP'], [68, 'DHCP'], [546, 'DHCPv6'], [547, 'DHCPv6'],
]);

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
