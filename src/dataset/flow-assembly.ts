// Bidirectional flows as CICFlowMeter builds them, with the fixes Engelen et al. (WTMC 2021,
// "Troubleshooting an intrusion detection dataset: the CICIDS2017 case study") showed it needs:
// - a TCP flow ends when both sides have sent a FIN (and takes the last ACK that follows), not at
//   the first FIN, so the rest of a connection is no "TCP appendix" flow of its own;
// - a RST ends the flow it belongs to (the RST is its last packet);
// - a flow of one packet is a flow (an unanswered SYN is most of a scan).
// A flow is every packet of one unordered 5-tuple (addresses, ports, IP protocol) until it ends
// or is FLOW_TIMEOUT_S old (CICFlowMeter's 120 s flow timeout, counted from its first packet).
// The forward direction is the first packet's. Non-IP frames (ARP) form flows of their MAC
// addresses; every packet of the capture is in exactly one flow.

import { TCP_FLAG } from '../capture/decode/columns.ts';
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';
import { GroupIds, pairKey } from '../features/group-keys.ts';

export const FLOW_TIMEOUT_S = 120;

export interface FlowAssembly {
  readonly count: number;
  /** Flow id of each packet; flows are numbered in order of their first packet. */
  readonly flowOfPacket: Int32Array;
  /** Packet index of each flow's first packet: it fixes the forward direction. */
  readonly firstPacket: Int32Array;
  /** Packets of flow f are packetsInFlow[start[f] .. start[f + 1]), in capture order. */
  readonly packetsInFlow: Int32Array;
  readonly start: Int32Array;
}

const FIN_FORWARD = 1;
const FIN_BACKWARD = 2;
const TCP = 6;

export function assembleFlows(decoded: DecodedCapture, flowTimeout = FLOW_TIMEOUT_S): FlowAssembly {
  const { columns: c, packets } = decoded;
  const nAddr = decoded.addresses.size;
  const pairs = new GroupIds();
  const tuples = new GroupIds();
  let tupleFlow = new Int32Array(1024).fill(-1);
  const flowOfPacket = new Int32Array(packets);
  let firstPacket = new Int32Array(1024);
  let fin = new Uint8Array(1024);
  let count = 0;
  for (let i = 0; i < packets; i++) {
    const a = c.src[i], b = c.dst[i], pa = c.srcPort[i], pb = c.dstPort[i];
    const aFirst = a < b || (a === b && pa <= pb);
    const pair = pairs.id(pairKey(aFirst ? pairKey(a, b, nAddr) : pairKey(b, a, nAddr), c.ipProto[i], 256));
    const tuple = tuples.id(pairKey(pair, aFirst ? pa * 65536 + pb : pb * 65536 + pa, 4294967296));
    if (tuple >= tupleFlow.length) {
      const grown = new Int32Array(tupleFlow.length * 2).fill(-1);
      grown.set(tupleFlow);
      tupleFlow = grown;
    }
    const isTcp = c.ipProto[i] === TCP && c.l4HeaderLen[i] > 0;
    const flags = isTcp ? c.tcpFlags[i] : 0;
    let f = tupleFlow[tuple];
    if (f >= 0 && c.time[i] - c.time[firstPacket[f]] > flowTimeout) f = -1;
    if (f >= 0 && fin[f] === (FIN_FORWARD | FIN_BACKWARD)) {
      // Both sides closed: a bare ACK is the connection's last packet; anything else starts anew.
      if ((flags & (TCP_FLAG.SYN | TCP_FLAG.FIN | TCP_FLAG.RST)) === 0 && (flags & TCP_FLAG.ACK) && c.payloadLen[i] === 0) {
        flowOfPacket[i] = f;
        tupleFlow[tuple] = -1;
        continue;
      }
      f = -1;
    }
    if (f < 0) {
      if (count >= firstPacket.length) {
        firstPacket = growInt32(firstPacket, count * 2);
        const g = new Uint8Array(count * 2);
        g.set(fin);
        fin = g;
      }
      f = count++;
      firstPacket[f] = i;
      tupleFlow[tuple] = f;
    }
    flowOfPacket[i] = f;
    if (flags & TCP_FLAG.RST) tupleFlow[tuple] = -1;
    else if (flags & TCP_FLAG.FIN) {
      const p = firstPacket[f];
      fin[f] |= c.src[p] === a && c.srcPort[p] === pa ? FIN_FORWARD : FIN_BACKWARD;
    }
  }
  // Counting sort of packets by flow: each flow's packets stay in capture order.
  const start = new Int32Array(count + 1);
  for (let i = 0; i < packets; i++) start[flowOfPacket[i] + 1]++;
  for (let f = 0; f < count; f++) start[f + 1] += start[f];
  const next = start.slice(0, count);
  const packetsInFlow = new Int32Array(packets);
  for (let i = 0; i < packets; i++) packetsInFlow[next[flowOfPacket[i]]++] = i;
  return { count, flowOfPacket, firstPacket: firstPacket.slice(0, count), packetsInFlow, start };
}

function growInt32(a: Int32Array, n: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}
