// UDP (RFC 768): ports and payload length; the payload is named by app-protocol.ts by port
// (DNS, MDNS, NBNS, DHCP, NTP, SSDP, ...) or left as "UDP".
import { PACKET_FLAG } from './columns.ts';
import { PROTO } from './protocol-table.ts';
import { udpAppProtocol } from './app-protocol.ts';
import type { DecodeState } from './state.ts';

const HEADER = 8;

export function decodeUdp(data: Uint8Array, offset: number, i: number, state: DecodeState): void {
  const c = state.columns;
  c.protocol[i] = PROTO.UDP;
  if (state.end - offset < HEADER) {
    c.flags[i] |= PACKET_FLAG.TRUNCATED;
    return;
  }
  c.srcPort[i] = (data[offset] << 8) | data[offset + 1];
  c.dstPort[i] = (data[offset + 2] << 8) | data[offset + 3];
  const length = (data[offset + 4] << 8) | data[offset + 5];
  c.l4HeaderLen[i] = HEADER;
  c.payloadLen[i] = length >= HEADER ? length - HEADER : Math.max(0, state.claimedEnd - offset - HEADER);
  c.protocol[i] = udpAppProtocol(data, offset + HEADER, i, state);
}
