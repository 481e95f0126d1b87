// Seed 003 (SDS student project), faithfully: packets grouped by (time rounded to 0.01 s, Source,
// Destination, Protocol) as its Spark code did:
//   round(Time, 2) as ts, groupBy(ts, Source, Destination, Protocol),
//   len = avg(Length), local_anomalies = avg(Length) / max(Length), count = count(*)
// then its pandas step: StandardScaler on len and on count, get_dummies(Protocol), and the
// VectorAssembler over every column except Source and Destination: the protocol dummies (sorted
// by name, as get_dummies does), len, ts (raw seconds), count. local_anomalies is computed by the
// seed but was not in the frame it clustered (its pd.concat left it out), so it is left out here
// too. k = 23 (the seed's setK(23)). Source and Destination are grouping keys only, never features.
// Rounding: Spark's round is HALF_UP, so ts = floor(t * 100 + 0.5) / 100 with t in seconds since
// the first packet (Wireshark's Time column). Rows are in order of their first packet.
import type { DecodedCapture } from '../capture/decode/decode-capture.ts';
import { featureMatrix, type FeatureSet, type RawFeatures } from './feature-set.ts';
import { GroupIds, pairKey } from './group-keys.ts';
import { hundredthsOf } from './round-window.ts';

/** The rows unscaled; len and count are standardized, the dummies and ts kept (see buildFeatures). */
export function buildSdsWindow(decoded: DecodedCapture): RawFeatures {
  const { rows, rowOfPacket, sum, count, hundredths, proto, host } = groupRows(decoded);

  // One-hot columns: protocols present, sorted by name as pandas.get_dummies sorts categories.
  const present = new Set<number>();
  for (let r = 0; r < rows; r++) present.add(proto[r]);
  const dummies = [...present].map((code) => ({ code, name: decoded.protocols.name(code) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const dummyCol = new Map(dummies.map((d, j) => [d.code, j]));
  const nd = dummies.length;
  const cols = nd + 3;
  const matrix = featureMatrix(rows, cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    matrix[o + dummyCol.get(proto[r])!] = 1;
    matrix[o + nd] = sum[r] / count[r];
    matrix[o + nd + 1] = hundredths[r] / 100;
    matrix[o + nd + 2] = count[r];
  }
  return {
    matrix,
    rows,
    cols,
    columnNames: [...dummies.map((d) => d.name), 'len', 'ts', 'count'],
    rowOfPacket,
    rowPackets: count.slice(0, rows),
    rowHost: host.slice(0, rows),
    scaling: [...dummies.map(() => 'none' as const), 'standard', 'none', 'standard'],
  };
}

/**
 * The rows and their sums. A function of its own so that the per-packet triple ids and the group
 * maps are garbage before the matrix is allocated (at 20M packets they are 80 MB and a map of
 * millions of entries, beside a 360 MB matrix).
 */
function groupRows(decoded: DecodedCapture) {
  const { columns: c, packets } = decoded;
  const nAddr = decoded.addresses.size;
  const nProto = decoded.protocols.size;

  // Pass 1: (Source, Destination, Protocol) -> triple id.
  const triples = new GroupIds();
  const tripleOf = new Int32Array(packets);
  for (let i = 0; i < packets; i++) tripleOf[i] = triples.id(pairKey(pairKey(c.src[i], c.dst[i], nAddr), c.protocol[i], nProto));

  // Pass 2: (ts, triple) -> row.
  const rowsOf = new GroupIds();
  const rowOfPacket = new Int32Array(packets);
  const nTriples = Math.max(1, triples.size);
  let capacity = 1024;
  let sum = new Float64Array(capacity);
  let count = new Uint32Array(capacity);
  let hundredths = new Float64Array(capacity);
  let proto = new Uint16Array(capacity);
  let host = new Uint32Array(capacity);
  for (let i = 0; i < packets; i++) {
    const w = hundredthsOf(c.time[i]);
    const row = rowsOf.pairId(w, tripleOf[i], nTriples);
    if (row >= capacity) {
      capacity *= 2;
      sum = grow(sum, capacity);
      count = grow(count, capacity);
      hundredths = grow(hundredths, capacity);
      proto = grow(proto, capacity);
      host = grow(host, capacity);
    }
    rowOfPacket[i] = row;
    if (count[row] === 0) {
      hundredths[row] = w;
      proto[row] = c.protocol[i];
      host[row] = c.src[i];
    }
    // avg(Length) only: the seed's max(Length) fed local_anomalies, which it did not cluster.
    sum[row] += c.wireLen[i];
    count[row]++;
  }
  return { rows: rowsOf.size, rowOfPacket, sum, count, hundredths, proto, host };
}

function grow<T extends Float64Array | Uint32Array | Uint16Array>(a: T, capacity: number): T {
  const b = new (a.constructor as new (n: number) => T)(capacity);
  b.set(a);
  return b;
}

export const sdsWindow: FeatureSet = {
  name: 'sds-window',
  description: 'seed 003: (10 ms, source, destination, protocol) groups; one-hot protocol, standardized avg length and count, raw time',
  defaultK: 23,
  buildRaw: (decoded) => buildSdsWindow(decoded),
};
