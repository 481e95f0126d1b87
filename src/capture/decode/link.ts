// Dispatch from a capture's link type (tcpdump.org/linktypes.html) to the link-layer decoder.
import { LINKTYPE } from '../pcap-file.ts';
import { decodeEthernet } from './ethernet.ts';
import { decodeSll } from './sll.ts';
import { decodeSll2 } from './sll2.ts';
import { decodeRaw } from './raw.ts';
import type { LayerDecoder } from './state.ts';

const DECODERS = new Map<number, LayerDecoder>([
  [LINKTYPE.ETHERNET, decodeEthernet],
  [LINKTYPE.LINUX_SLL, decodeSll],
  [LINKTYPE.LINUX_SLL2, decodeSll2],
  [LINKTYPE.RAW, decodeRaw],
  [LINKTYPE.IPV4, decodeRaw],
  [LINKTYPE.IPV6, decodeRaw],
  // LINKTYPE_RAW's original DLT values on some systems (DLT_RAW 12 on most BSDs, 14 on OpenBSD).
  [12, decodeRaw],
  [14, decodeRaw],
]);

export function linkDecoder(linkType: number): LayerDecoder | undefined {
  return DECODERS.get(linkType);
}

export const LINK_NAMES: Record<number, string> = {
  0: 'BSD loopback (NULL)',
  105: 'IEEE 802.11',
  127: 'IEEE 802.11 radiotap',
  108: 'OpenBSD loopback',
  9: 'PPP',
};
