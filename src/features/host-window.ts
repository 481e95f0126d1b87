// scanlab's own feature set, built to separate scans from other traffic. One row per
// conversation (unordered host pair, both directions together) per fixed time window, with only
// behaviour in it, never an address:
//   packets            log1p(packets in the row)
//   distinct_ports     log1p(distinct destination ports, both directions)
//   port_ratio         distinct destination ports / packets (a scan touches a new port per probe)
//   syn_only_share     share of packets that are SYN without ACK
//   rst_share          share of packets with RST
//   unreachable_share  share of ICMP/ICMPv6 destination-unreachable packets
//   empty_share        share of packets with no transport payload
//   udp_share          share of UDP packets
//   size_mean, size_std           log1p of wire length mean and standard deviation
//   gap_mean, gap_std             log1p of inter-arrival mean and std, in milliseconds
//   failed_share       SYNs without a SYN-ACK back, over SYNs (0 with no SYN)
//   fan_out            log1p(distinct peers the initiating host has in the same window)
// then every column standardized. The initiating host is the sender of the row's first SYN
// without ACK, or of its first packet. The window is 1 s by default (see bench/RESULTS.md).
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';
import { TCP_FLAG, NO_ICMP } from '../capture/decode/columns.ts';
import { featureMatrix, type FeatureOptions, type FeatureSet, type RawFeatures } from './feature-set.ts';
import { GroupIds, pairKey } from './group-keys.ts';
import { windowOf } from './round-window.ts';

export const HOST_WINDOW_SECONDS = 1;

export const HOST_WINDOW_COLUMNS = [
  'packets',
  'distinct_ports',
  'port_ratio',
  'syn_only_share',
  'rst_share',
  'unreachable_share',
  'empty_share',
  'udp_share',
  'size_mean',
  'size_std',
  'gap_mean',
  'gap_std',
  'failed_share',
  'fan_out',
] as const;

const UDP = 17;
const ICMP = 1;
const ICMPV6 = 58;

/** The rows unscaled; every column is standardized (see buildFeatures). */
export function buildHostWindow(decoded: DecodedCapture, options: FeatureOptions = {}): RawFeatures {
  const seconds = options.windowSeconds ?? HOST_WINDOW_SECONDS;
  const { columns: c, packets } = decoded;
  const nAddr = decoded.addresses.size;

  const { rowOfPacket, rows } = conversationWindows(decoded, seconds);

  const count = new Uint32Array(rows);
  const synOnly = new Float64Array(rows);
  const synAck = new Float64Array(rows);
  const rst = new Float64Array(rows);
  const unreachable = new Float64Array(rows);
  const empty = new Float64Array(rows);
  const udp = new Float64Array(rows);
  // Running means and squared-deviation sums (Welford), stable where sum-of-squares is not.
  const sizeMean = new Float64Array(rows);
  const sizeM2 = new Float64Array(rows);
  const lastTime = new Float64Array(rows);
  const gapMean = new Float64Array(rows);
  const gapM2 = new Float64Array(rows);
  const initiator = new Uint32Array(rows);
  const initiatorBySyn = new Uint8Array(rows);
  const window = new Float64Array(rows);
  const portsSeen = new Set<number>();
  const distinctPorts = new Float64Array(rows);

  for (let i = 0; i < packets; i++) {
    const r = rowOfPacket[i];
    const t = c.time[i];
    const flags = c.tcpFlags[i];
    const isSynOnly = (flags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === TCP_FLAG.SYN;
    if (count[r] === 0) {
      initiator[r] = c.src[i];
      window[r] = windowOf(t, seconds);
    } else {
      const gap = (t - lastTime[r]) * 1000;
      const m = count[r];
      const d = gap - gapMean[r];
      gapMean[r] += d / m;
      gapM2[r] += d * (gap - gapMean[r]);
    }
    if (isSynOnly && !initiatorBySyn[r]) {
      initiator[r] = c.src[i];
      initiatorBySyn[r] = 1;
    }
    lastTime[r] = t;
    count[r]++;
    if (isSynOnly) synOnly[r]++;
    if ((flags & (TCP_FLAG.SYN | TCP_FLAG.ACK)) === (TCP_FLAG.SYN | TCP_FLAG.ACK)) synAck[r]++;
    if (flags & TCP_FLAG.RST) rst[r]++;
    const proto = c.ipProto[i];
    if (proto === UDP) udp[r]++;
    const icmp = c.icmpTypeCode[i];
    if (icmp !== NO_ICMP && ((proto === ICMP && (icmp & 0xff) === 3) || (proto === ICMPV6 && (icmp & 0xff) === 1))) unreachable[r]++;
    if (c.payloadLen[i] === 0) empty[r]++;
    const len = c.wireLen[i];
    const d = len - sizeMean[r];
    sizeMean[r] += d / count[r];
    sizeM2[r] += d * (len - sizeMean[r]);
    if (proto === UDP || proto === 6) {
      const key = r * 65536 + c.dstPort[i];
      if (!portsSeen.has(key)) {
        portsSeen.add(key);
        distinctPorts[r]++;
      }
    }
  }
  portsSeen.clear();

  // Fan-out: distinct peers per (host, window) = rows that host is part of in that window.
  const hostWindows = new GroupIds();
  const peers: number[] = [];
  const rowA = new Uint32Array(rows);
  const rowB = new Uint32Array(rows);
  for (let i = 0; i < packets; i++) {
    const r = rowOfPacket[i];
    if (rowA[r] === 0 && rowB[r] === 0) {
      rowA[r] = c.src[i] < c.dst[i] ? c.src[i] : c.dst[i];
      rowB[r] = c.src[i] < c.dst[i] ? c.dst[i] : c.src[i];
    }
  }
  const hostWindowOf = (host: number, r: number) => hostWindows.pairId(window[r], host, nAddr);
  for (let r = 0; r < rows; r++) {
    for (const host of rowA[r] === rowB[r] ? [rowA[r]] : [rowA[r], rowB[r]]) {
      const hw = hostWindowOf(host, r);
      peers[hw] = (peers[hw] ?? 0) + 1;
    }
  }

  const cols = HOST_WINDOW_COLUMNS.length;
  const matrix = featureMatrix(rows, cols);
  for (let r = 0; r < rows; r++) {
    const n = count[r];
    const o = r * cols;
    const gaps = n - 1;
    matrix[o] = Math.log1p(n);
    matrix[o + 1] = Math.log1p(distinctPorts[r]);
    matrix[o + 2] = distinctPorts[r] / n;
    matrix[o + 3] = synOnly[r] / n;
    matrix[o + 4] = rst[r] / n;
    matrix[o + 5] = unreachable[r] / n;
    matrix[o + 6] = empty[r] / n;
    matrix[o + 7] = udp[r] / n;
    matrix[o + 8] = Math.log1p(sizeMean[r]);
    matrix[o + 9] = Math.log1p(Math.sqrt(sizeM2[r] / n));
    matrix[o + 10] = Math.log1p(gapMean[r]);
    matrix[o + 11] = gaps > 0 ? Math.log1p(Math.sqrt(gapM2[r] / gaps)) : 0;
    matrix[o + 12] = synOnly[r] > 0 ? Math.max(0, synOnly[r] - synAck[r]) / synOnly[r] : 0;
    matrix[o + 13] = Math.log1p(peers[hostWindowOf(initiator[r], r)] ?? 1);
  }
  return { matrix, rows, cols, columnNames: [...HOST_WINDOW_COLUMNS], rowOfPacket, rowPackets: count, rowHost: initiator, scaling: HOST_WINDOW_COLUMNS.map(() => 'standard' as const) };
}

/**
 * Row of each packet: its (window, conversation). A function of its own so that the per-packet
 * conversation ids and the group maps are garbage before the per-row arrays are allocated.
 */
function conversationWindows(decoded: DecodedCapture, seconds: number): { rowOfPacket: Int32Array; rows: number } {
  const { columns: c, packets } = decoded;
  const nAddr = decoded.addresses.size;
  const pairs = new GroupIds();
  const pairOf = new Int32Array(packets);
  for (let i = 0; i < packets; i++) {
    const a = c.src[i] < c.dst[i] ? c.src[i] : c.dst[i];
    const b = c.src[i] < c.dst[i] ? c.dst[i] : c.src[i];
    pairOf[i] = pairs.id(pairKey(a, b, nAddr));
  }
  const nPairs = Math.max(1, pairs.size);
  const rowsOf = new GroupIds();
  // Written over the conversation ids, each read just before.
  const rowOfPacket = pairOf;
  for (let i = 0; i < packets; i++) rowOfPacket[i] = rowsOf.pairId(windowOf(c.time[i], seconds), pairOf[i], nPairs);
  return { rowOfPacket, rows: rowsOf.size };
}

export const hostWindow: FeatureSet = {
  name: 'host-window',
  description: 'scanlab: per conversation per 1 s window; ports touched, SYN/RST/unreachable shares, sizes, gaps, failed connections, fan-out; log-scaled, standardized',
  defaultK: 12,
  columnsRead: ['time', 'src', 'dst', 'dstPort', 'ipProto', 'tcpFlags', 'icmpTypeCode', 'payloadLen', 'wireLen'],
  buildRaw: (decoded, options) => buildHostWindow(decoded, options),
};
