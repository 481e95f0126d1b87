// The flows of flow-assembly.ts built while the capture streams past in chunks (decode/
// decodeCaptureInChunks), so memory holds the flows still open, not the capture: a flow takes its
// packets as they come (flow-values.ts), and its row is handed on once no later packet can join it,
// in order of the flows' first packets as flows.csv lists them.
// Same rules, same rows as assembling over the whole capture, for a capture whose timestamps never
// go back: a flow is over at its RST, one packet after both FINs, or once the capture's clock is
// more than the flow timeout past its first packet. (A capture whose clock goes back is assembled
// whole instead: flows-csv.ts checks the order first.)

import { TCP_FLAG } from '../capture/decode/columns.ts';
import { decodeCaptureInChunks, type CaptureFacts } from '../capture/decode/decode-capture.ts';
import { GroupIds, pairKey } from '../features/group-keys.ts';
import { FLOW_TIMEOUT_S } from './flow-assembly.ts';
import { FlowAccumulator, type FlowValue } from './flow-values.ts';
import { PACKET_LABEL, type PacketLabels } from './packet-labels.ts';

const FIN_FORWARD = 1;
const FIN_BACKWARD = 2;
const TCP = 6;
/** Flow state of a tuple with no open flow. */
const NONE = -1;

interface OpenFlow {
  readonly acc: FlowAccumulator;
  /** FIN_FORWARD | FIN_BACKWARD bits seen so far. */
  fin: number;
  /** No packet can join it any more: its row may be written once the flows before it are. */
  done: boolean;
}

export interface StreamOptions {
  readonly chunkPackets?: number;
  readonly flowTimeout?: number;
}

/** Calls `each` with every flow's row, in order of the flows' first packets; returns the flow count. */
export function streamFlowRows(pcapPath: string, labels: PacketLabels | null, each: (row: FlowValue[]) => void, options: StreamOptions = {}): { flows: number; facts: CaptureFacts } {
  const flowTimeout = options.flowTimeout ?? FLOW_TIMEOUT_S;
  const hostPairs = new GroupIds();
  const pairs = new GroupIds();
  const tuples = new GroupIds();
  /** Open flow id (count at its creation) of each tuple, NONE when none. */
  let tupleFlow = new Int32Array(1024).fill(NONE);
  /** Flows not yet written, oldest first: open[k] is flow written + k. */
  const open: OpenFlow[] = [];
  let openHead = 0;
  let written = 0;
  let count = 0;
  let addresses: Parameters<FlowAccumulator['row']>[0] | undefined;
  let start = { sec: 0, nsec: 0 };
  const steps = labels ? { steps: labels.steps } : null;

  /** Writes the rows of the oldest flows that are over, keeping flows.csv's order. */
  const writeDone = (now: number) => {
    while (openHead < open.length) {
      const head = open[openHead];
      if (!head.done && !(now - head.acc.t0 > flowTimeout)) break;
      each(head.acc.row(addresses!, start, steps));
      open[openHead++] = undefined as unknown as OpenFlow;
      written++;
    }
    // Drop the written slots now and then, not on every flow.
    if (openHead > 4096 && openHead * 2 > open.length) {
      open.splice(0, openHead);
      openHead = 0;
    }
  };

  const facts = decodeCaptureInChunks(pcapPath, (chunk) => {
    const c = chunk.columns;
    addresses = chunk.addresses;
    for (let j = 0; j < chunk.count; j++) {
      const i = chunk.first + j;
      const a = c.src[j], b = c.dst[j], pa = c.srcPort[j], pb = c.dstPort[j];
      const aFirst = a < b || (a === b && pa <= pb);
      const hosts = aFirst ? hostPairs.pairId(a, b, 4294967296) : hostPairs.pairId(b, a, 4294967296);
      const pair = pairs.id(pairKey(hosts, c.ipProto[j], 256));
      const tuple = tuples.pairId(pair, aFirst ? pa * 65536 + pb : pb * 65536 + pa, 4294967296);
      if (tuple >= tupleFlow.length) {
        const grown = new Int32Array(tupleFlow.length * 2).fill(NONE);
        grown.set(tupleFlow);
        tupleFlow = grown;
      }
      const isTcp = c.ipProto[j] === TCP && c.l4HeaderLen[j] > 0;
      const flags = isTcp ? c.tcpFlags[j] : 0;
      const label = labels ? labels.label[i] : PACKET_LABEL.NONE;
      const step = labels ? labels.step[i] : 0;
      const t = c.time[j];
      let f = tupleFlow[tuple];
      // A flow already written went out by the clock: this packet is past its timeout too.
      let flow = f >= written ? open[openHead + f - written] : undefined;
      if (flow && t - flow.acc.t0 > flowTimeout) {
        flow.done = true;
        flow = undefined;
      }
      if (flow && flow.fin === (FIN_FORWARD | FIN_BACKWARD)) {
        flow.done = true;
        // Both sides closed: a bare ACK is the connection's last packet; anything else starts anew.
        if ((flags & (TCP_FLAG.SYN | TCP_FLAG.FIN | TCP_FLAG.RST)) === 0 && (flags & TCP_FLAG.ACK) && c.payloadLen[j] === 0) {
          flow.acc.add(c, j, label, step);
          tupleFlow[tuple] = NONE;
          writeDone(t);
          continue;
        }
        flow = undefined;
      }
      if (!flow) {
        f = count++;
        flow = { acc: new FlowAccumulator(c, j, i), fin: 0, done: false };
        open.push(flow);
        tupleFlow[tuple] = f;
      }
      flow.acc.add(c, j, label, step);
      if (flags & TCP_FLAG.RST) {
        flow.done = true;
        tupleFlow[tuple] = NONE;
      } else if (flags & TCP_FLAG.FIN) {
        flow.fin |= c.src[j] === flow.acc.fwdAddr && c.srcPort[j] === flow.acc.fwdPort ? FIN_FORWARD : FIN_BACKWARD;
      }
      writeDone(t);
    }
  }, {
    chunkPackets: options.chunkPackets,
    onPacket: (r) => {
      if (r.index === 0) start = { sec: r.tsSec, nsec: r.tsNsec };
    },
  });
  // The end of the capture ends every flow still open.
  writeDone(Infinity);
  return { flows: count, facts };
}
