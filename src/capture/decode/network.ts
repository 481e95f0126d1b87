// Dispatch from an ether type (IEEE registry) to the network-layer decoder.
import { PACKET_FLAG } from './columns.ts';
import { PROTO } from './protocol-table.ts';
import { decodeIpv4 } from './ipv4.ts';
import { decodeIpv6 } from './ipv6.ts';
import { decodeArp } from './arp.ts';
import type { DecodeState, LayerDecoder } from './state.ts';

export const ETHER_TYPE = { IPV4: 0x0800, ARP: 0x0806, RARP: 0x8035, IPV6: 0x86dd, LLDP: 0x88cc, EAPOL: 0x888e } as const;

const DECODERS = new Map<number, LayerDecoder>([
  [ETHER_TYPE.IPV4, decodeIpv4],
  [ETHER_TYPE.IPV6, decodeIpv6],
  [ETHER_TYPE.ARP, decodeArp],
  [ETHER_TYPE.RARP, decodeArp],
]);

const NAMES = new Map<number, number>([
  [ETHER_TYPE.LLDP, PROTO.LLDP],
  [ETHER_TYPE.EAPOL, PROTO.EAPOL],
]);

export function decodeNetwork(etherType: number, data: Uint8Array, offset: number, i: number, state: DecodeState): void {
  const c = state.columns;
  c.etherType[i] = etherType;
  const decoder = DECODERS.get(etherType);
  if (decoder) return decoder(data, offset, i, state);
  c.flags[i] |= PACKET_FLAG.UNDECODED;
  c.protocol[i] = NAMES.get(etherType) ?? state.protocols.code(`0x${etherType.toString(16).padStart(4, '0')}`);
}
