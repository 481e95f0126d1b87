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
import { useColumns } from '../capture/decode/column-spill.ts';

/** The rows unscaled; len and count are standardized, the dummies and ts kept (see buildFeatures). */
export function buildSdsWindow(decoded: DecodedCapture): RawFeatures {
  const { columns: c, packets } = decoded;
  const { rows, rowOfPacket } = groupRows(decoded);
  // The grouping's per-packet triple ids and tables are garbage now, and Destination is read no
  // more: on a large capture both go before the matrix comes (src/capture/decode/column-spill.ts).
  useColumns(decoded, ['time', 'src', 'protocol', 'wireLen']);

  // One-hot columns: protocols present, sorted by name as pandas.get_dummies sorts categories.
  // Every packet is in a row, so the protocols of the packets are those of the rows.
  const present = new Set<number>();
  for (let i = 0; i < packets; i++) present.add(c.protocol[i]);
  const dummies = [...present].map((code) => ({ code, name: decoded.protocols.name(code) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const dummyCol = new Map(dummies.map((d, j) => [d.code, j]));
  const nd = dummies.length;
  const cols = nd + 3;
  // The sums go straight into the matrix (len holds sum(Length) until the division): per-row
  // sums, times and protocols beside it were 109 MB at 20M packets.
  const matrix = featureMatrix(rows, cols);
  const rowPackets = new Uint32Array(rows);
  const rowHost = new Uint32Array(rows);
  for (let i = 0; i < packets; i++) {
    const row = rowOfPacket[i];
    const o = row * cols;
    if (rowPackets[row] === 0) {
      matrix[o + dummyCol.get(c.protocol[i])!] = 1;
      matrix[o + nd + 1] = hundredthsOf(c.time[i]) / 100;
      rowHost[row] = c.src[i];
    }
    // avg(Length) only: the seed's max(Length) fed local_anomalies, which it did not cluster.
    matrix[o + nd] += c.wireLen[i];
    rowPackets[row]++;
  }
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    matrix[o + nd] /= rowPackets[r];
    matrix[o + nd + 2] = rowPackets[r];
  }
  return {
    matrix,
    rows,
    cols,
    columnNames: [...dummies.map((d) => d.name), 'len', 'ts', 'count'],
    rowOfPacket,
    rowPackets,
    rowHost,
    scaling: [...dummies.map(() => 'none' as const), 'standard', 'none', 'standard'],
  };
}

/**
 * Each packet's row, rows numbered in order of their first packet. A function of its own so
 * that the per-packet triple ids and the group tables are garbage once it returns (at 20M
 * packets they are 80 MB and tables of millions of entries, beside a 360 MB matrix).
 */
function groupRows(decoded: DecodedCapture): { rows: number; rowOfPacket: Int32Array } {
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
  for (let i = 0; i < packets; i++) rowOfPacket[i] = rowsOf.pairId(hundredthsOf(c.time[i]), tripleOf[i], nTriples);
  return { rows: rowsOf.size, rowOfPacket };
}

export const sdsWindow: FeatureSet = {
  name: 'sds-window',
  description: 'seed 003: (10 ms, source, destination, protocol) groups; one-hot protocol, standardized avg length and count, raw time',
  defaultK: 23,
  columnsRead: ['time', 'src', 'dst', 'protocol', 'wireLen'],
  buildRaw: (decoded) => buildSdsWindow(decoded),
};
