// Flow records as NetFlow/IPFIX exporters make them: the packets of one directional 5-tuple
// (source, destination, source port, destination port, IP protocol), split when the tuple is idle
// longer than the idle timeout (NetFlow's inactive timeout, 15 s by default). Non-IP frames form
// flows of (source MAC, destination MAC, no ports, protocol 255). Flow ids are in order of each
// flow's first packet.
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';
import { GroupIds, pairKey } from './group-keys.ts';

export const DEFAULT_IDLE_TIMEOUT = 15;

export interface FlowTable {
  readonly count: number;
  readonly flowOfPacket: Int32Array;
  readonly src: Uint32Array;
  readonly dst: Uint32Array;
  readonly srcPort: Uint16Array;
  readonly dstPort: Uint16Array;
  readonly ipProto: Uint8Array;
  /** Seconds since the first packet of the capture. */
  readonly start: Float64Array;
  readonly end: Float64Array;
  readonly packets: Uint32Array;
  /** Wire bytes (NetFlow's dOctets). */
  readonly bytes: Float64Array;
}

type FlowColumns = Omit<FlowTable, 'count' | 'flowOfPacket'>;

export function buildFlows(decoded: DecodedCapture, idleTimeout = DEFAULT_IDLE_TIMEOUT): FlowTable {
  const { columns: c, packets } = decoded;
  const nAddr = decoded.addresses.size;
  const pairs = new GroupIds();
  const tuples = new GroupIds();
  let tupleFlow = new Int32Array(1024);
  let tupleLast = new Float64Array(1024);
  const flowOfPacket = new Int32Array(packets);
  let f = allocate(1024);
  let count = 0;
  for (let i = 0; i < packets; i++) {
    const pair = pairs.id(pairKey(pairKey(c.src[i], c.dst[i], nAddr), c.ipProto[i], 256));
    const before = tuples.size;
    const tuple = tuples.pairId(pair, c.srcPort[i] * 65536 + c.dstPort[i], 4294967296);
    if (tuple >= tupleFlow.length) {
      tupleFlow = grow(tupleFlow, tupleFlow.length * 2);
      tupleLast = grow(tupleLast, tupleLast.length * 2);
    }
    const t = c.time[i];
    let flow: number;
    if (tuples.size > before || t - tupleLast[tuple] > idleTimeout) {
      if (count >= f.start.length) f = growAll(f, f.start.length * 2);
      flow = count++;
      tupleFlow[tuple] = flow;
      f.src[flow] = c.src[i];
      f.dst[flow] = c.dst[i];
      f.srcPort[flow] = c.srcPort[i];
      f.dstPort[flow] = c.dstPort[i];
      f.ipProto[flow] = c.ipProto[i];
      f.start[flow] = t;
      f.end[flow] = t;
      tupleLast[tuple] = t;
    } else flow = tupleFlow[tuple];
    if (t > tupleLast[tuple]) tupleLast[tuple] = t;
    if (t < f.start[flow]) f.start[flow] = t;
    if (t > f.end[flow]) f.end[flow] = t;
    f.packets[flow]++;
    f.bytes[flow] += c.wireLen[i];
    flowOfPacket[i] = flow;
  }
  const trimmed = {} as Record<keyof FlowColumns, unknown>;
  // Views, not copies: the spare capacity behind them was never written, so it is not resident.
  for (const [name, col] of Object.entries(f)) trimmed[name as keyof FlowColumns] = (col as Uint8Array).subarray(0, count);
  return { count, flowOfPacket, ...(trimmed as FlowColumns) };
}

function allocate(n: number): { -readonly [K in keyof FlowColumns]: FlowColumns[K] } {
  return {
    src: new Uint32Array(n),
    dst: new Uint32Array(n),
    srcPort: new Uint16Array(n),
    dstPort: new Uint16Array(n),
    ipProto: new Uint8Array(n),
    start: new Float64Array(n),
    end: new Float64Array(n),
    packets: new Uint32Array(n),
    bytes: new Float64Array(n),
  };
}

function growAll(f: FlowColumns, n: number): ReturnType<typeof allocate> {
  const out = allocate(n);
  for (const name of Object.keys(out) as (keyof FlowColumns)[]) (out[name] as Uint8Array).set(f[name] as Uint8Array);
  return out;
}

function grow<T extends Int32Array | Float64Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}
