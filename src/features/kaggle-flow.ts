// Seed 000 (Kaggle notebook), faithfully: flow records (flows.ts: directional 5-tuple, 15 s idle
// timeout) sorted by start_time, and the notebook's frame
//   time_diff   start_time minus the previous flow's (0 for the first),
//   num_bytes   bytes of the flow (the notebook's CSV column; here NetFlow's byte count),
//   num_packets packets of the flow,
//   source_port / destination_port  1 when the port is 22, else 0,
//   destination_ip / source_ip      1 when the address is one of the two "top talkers",
// then pd.get_dummies on the four flags (prefixes dest_with, source_with, dest_ip, source_ip; one
// column per value present, so a flag that is always 0 gives a single column) and MinMaxScaler on
// everything; k = 5 (KMeans(n_clusters=5)).
// Top talkers: the notebook hard-coded its two most frequent source IPs (by flow count). Doing the
// same here, the two source addresses with the most flows (ties: the one whose first flow starts
// earlier), is what the seed did and uses no label: it is a traffic statistic, not ground truth.
// The 0-10 rating: the share of flows in the flagged clusters times 10 (hacking-rating.ts). The
// seed flagged, by looking at plots, the clusters of small flows arriving with no time gap;
// flagUnlabeled states that rule: clusters whose centre has num_packets and time_diff below the
// row-weighted mean centre.
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';
import { featureMatrix, type FeatureSet, type RawFeatures } from './feature-set.ts';
import { buildFlows, DEFAULT_IDLE_TIMEOUT } from './flows.ts';
import { useColumns } from '../capture/decode/column-spill.ts';

/** The rows unscaled; every column is min-max scaled (see buildFeatures). */
export function buildKaggleFlow(decoded: DecodedCapture, idleTimeout = DEFAULT_IDLE_TIMEOUT): RawFeatures {
  const flows = buildFlows(decoded, idleTimeout);
  // The flows are all it reads from here: on a large capture the columns leave memory before
  // the matrix comes (src/capture/decode/column-spill.ts).
  useColumns(decoded, []);
  const n = flows.count;
  // Stable sort by start time (flows are already in first-packet order).
  const order = Int32Array.from({ length: n }, (_, j) => j).sort((a, b) => flows.start[a] - flows.start[b] || a - b);
  const rowOfFlow = new Int32Array(n);
  for (let r = 0; r < n; r++) rowOfFlow[order[r]] = r;

  const top = topSources(flows.src, order, 2);
  const flags = {
    destination_port: (f: number) => (flows.dstPort[f] === 22 ? 1 : 0),
    source_port: (f: number) => (flows.srcPort[f] === 22 ? 1 : 0),
    destination_ip: (f: number) => (top.has(flows.dst[f]) ? 1 : 0),
    source_ip: (f: number) => (top.has(flows.src[f]) ? 1 : 0),
  };
  // get_dummies(columns=[destination_port, source_port, destination_ip, source_ip]).
  const dummyOf: { name: string; flag: (f: number) => number; value: number }[] = [];
  const prefixes: [keyof typeof flags, string][] = [
    ['destination_port', 'dest_with'],
    ['source_port', 'source_with'],
    ['destination_ip', 'dest_ip'],
    ['source_ip', 'source_ip'],
  ];
  for (const [flag, prefix] of prefixes) {
    const seen = [false, false];
    for (let f = 0; f < n; f++) seen[flags[flag](f)] = true;
    for (const value of [0, 1]) if (seen[value]) dummyOf.push({ name: `${prefix}_${value}`, flag: flags[flag], value });
  }
  const cols = 3 + dummyOf.length;
  const matrix = featureMatrix(n, cols);
  for (let r = 0; r < n; r++) {
    const f = order[r];
    const o = r * cols;
    matrix[o] = r === 0 ? 0 : flows.start[f] - flows.start[order[r - 1]];
    matrix[o + 1] = flows.bytes[f];
    matrix[o + 2] = flows.packets[f];
    for (let d = 0; d < dummyOf.length; d++) matrix[o + 3 + d] = dummyOf[d].flag(f) === dummyOf[d].value ? 1 : 0;
  }

  // Packets' flow ids turned into row ids in place: one per-packet array, not two.
  const rowOfPacket = flows.flowOfPacket;
  for (let i = 0; i < decoded.packets; i++) rowOfPacket[i] = rowOfFlow[rowOfPacket[i]];
  const rowPackets = new Uint32Array(n);
  for (let r = 0; r < n; r++) rowPackets[r] = flows.packets[order[r]];
  return {
    matrix,
    rows: n,
    cols,
    columnNames: ['time_diff', 'num_bytes', 'num_packets', ...dummyOf.map((d) => d.name)],
    rowOfPacket,
    rowPackets,
    rowHost: Uint32Array.from(order, (f) => flows.src[f]),
    scaling: new Array(cols).fill('minmax'),
  };
}

/** The `count` source addresses with the most flows; ties go to the earlier first flow. */
function topSources(src: Uint32Array, order: Int32Array, count: number): Set<number> {
  const flowsOf = new Map<number, { n: number; first: number }>();
  for (let r = 0; r < order.length; r++) {
    const s = src[order[r]];
    const e = flowsOf.get(s);
    if (e) e.n++;
    else flowsOf.set(s, { n: 1, first: r });
  }
  const ranked = [...flowsOf.entries()].sort((a, b) => b[1].n - a[1].n || a[1].first - b[1].first);
  return new Set(ranked.slice(0, count).map(([s]) => s));
}

export function kaggleFlagUnlabeled(centers: Float64Array, k: number, columnNames: readonly string[], clusterSizes: readonly number[]): number[] {
  const cols = columnNames.length;
  const td = columnNames.indexOf('time_diff');
  const np = columnNames.indexOf('num_packets');
  let total = 0;
  let meanTd = 0;
  let meanNp = 0;
  for (let j = 0; j < k; j++) {
    total += clusterSizes[j] ?? 0;
    meanTd += (clusterSizes[j] ?? 0) * centers[j * cols + td];
    meanNp += (clusterSizes[j] ?? 0) * centers[j * cols + np];
  }
  if (total === 0) return [];
  meanTd /= total;
  meanNp /= total;
  const out: number[] = [];
  for (let j = 0; j < k; j++) if (centers[j * cols + td] < meanTd && centers[j * cols + np] < meanNp) out.push(j);
  return out;
}

export const kaggleFlow: FeatureSet = {
  name: 'kaggle-flow',
  description: 'seed 000: flow records; time to previous flow, bytes, packets, port-22 and top-talker flags; min-max scaled',
  defaultK: 5,
  columnsRead: ['time', 'src', 'dst', 'srcPort', 'dstPort', 'ipProto', 'wireLen'],
  buildRaw: (decoded) => buildKaggleFlow(decoded),
  flagUnlabeled: kaggleFlagUnlabeled,
};
