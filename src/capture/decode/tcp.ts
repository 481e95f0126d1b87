// TCP (RFC 9293): ports, flags, sequence and acknowledgement numbers, window; the payload is
// named by app-protocol.ts (HTTP, TLS, SSH, ...) or left as "TCP".
import { PACKET_FLAG } from './columns.ts';
import { PROTO } from './protocol-table.ts';
import { tcpAppProtocol, forgetConnection } from './app-protocol.ts';
import type { DecodeState } from './state.ts';

const MIN_HEADER = 20;

export function decodeTcp(data: Uint8Array, offset: number, i: number, state: DecodeState): void {
  const c = state.columns;
  c.protocol[i] = PROTO.TCP;
  if (state.end - offset < MIN_HEADER) {
    c.flags[i] |= PACKET_FLAG.TRUNCATED;
    if (state.end - offset >= 4) {
      c.srcPort[i] = (data[offset] << 8) | data[offset + 1];
      c.dstPort[i] = (data[offset + 2] << 8) | data[offset + 3];
    }
    return;
  }
  c.srcPort[i] = (data[offset] << 8) | data[offset + 1];
  c.dstPort[i] = (data[offset + 2] << 8) | data[offset + 3];
  c.tcpSeq[i] = ((data[offset + 4] << 24) | (data[offset + 5] << 16) | (data[offset + 6] << 8) | data[offset + 7]) >>> 0;
  c.tcpAck[i] = ((data[offset + 8] << 24) | (data[offset + 9] << 16) | (data[offset + 10] << 8) | data[offset + 11]) >>> 0;
  const dataOffset = (data[offset + 12] >> 4) * 4;
  c.tcpFlags[i] = ((data[offset + 12] & 1) << 8) | data[offset + 13];
  c.tcpWindow[i] = (data[offset + 14] << 8) | data[offset + 15];
  if ((c.tcpFlags[i] & 0x12) === 0x02) forgetConnection(i, state);
  const payloadStart = offset + Math.max(dataOffset, MIN_HEADER);
  c.l4HeaderLen[i] = Math.max(dataOffset, MIN_HEADER);
  c.payloadLen[i] = Math.max(0, state.claimedEnd - payloadStart);
  if (payloadStart > state.end) {
    c.flags[i] |= PACKET_FLAG.TRUNCATED;
    return;
  }
  if (c.payloadLen[i] > 0) c.protocol[i] = tcpAppProtocol(data, payloadStart, i, state);
}
