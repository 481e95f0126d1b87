// The capture as analysis reads it: decoded in chunks (decodeCaptureInChunks) with only the
// columns that feature sets, detectors, scoring and the report read copied into whole-capture
// arrays, 37 of the decoder's 57 bytes a packet. The columns no analysis code reads (capLen,
// etherType, TCP sequence/ack/window, IPv4 id, TTL, transport header length) are left empty
// (length 0): a reader of one of them must add it to ANALYSIS_COLUMNS first.
import { statSync } from 'node:fs';
import { decodeCaptureInChunks, predictedCapacity, type DecodedCapture } from '../capture/decode/decode-capture.ts';
import { COLUMN_TYPES, type ColumnName, type PacketColumns } from '../capture/decode/columns.ts';

type Column = PacketColumns[ColumnName];

/** What src/features, src/detect, src/score, src/analysis and src/report read. */
export const ANALYSIS_COLUMNS = ['time', 'wireLen', 'ipVersion', 'ipProto', 'src', 'dst', 'srcPort', 'dstPort', 'tcpFlags', 'icmpTypeCode', 'payloadLen', 'protocol', 'flags'] as const satisfies readonly ColumnName[];

const LEFT_EMPTY = ['capLen', 'etherType', 'tcpSeq', 'tcpAck', 'tcpWindow', 'ipId', 'ttl', 'l4HeaderLen'] as const satisfies readonly ColumnName[];

/** Bytes a record takes in the file beyond its captured bytes (pcap's record header), to predict the packet count. */
const RECORD_HEADER_BYTES = 16;

export function decodeForAnalysis(path: string): DecodedCapture {
  let fileSize = 0;
  try {
    fileSize = statSync(path).size;
  } catch {
    /* the decoder reports a missing file with its own message. */
  }
  let capacity = 0;
  let bytesSeen = 0;
  const kept = {} as Record<ColumnName, Column>;
  const facts = decodeCaptureInChunks(path, (chunk) => {
    const c = chunk.columns;
    const end = chunk.first + chunk.count;
    for (let j = 0; j < chunk.count; j++) bytesSeen += c.capLen[j] + RECORD_HEADER_BYTES;
    if (end > capacity) {
      const next = Math.max(predictedCapacity(fileSize, bytesSeen, end, capacity), end + chunk.count);
      for (const name of ANALYSIS_COLUMNS) {
        const bigger = new COLUMN_TYPES[name](next);
        if (capacity > 0) (bigger as Uint8Array).set((kept[name] as Uint8Array).subarray(0, chunk.first));
        kept[name] = bigger;
      }
      capacity = next;
    }
    for (const name of ANALYSIS_COLUMNS) (kept[name] as Uint8Array).set((c[name] as Uint8Array).subarray(0, chunk.count), chunk.first);
  });
  const columns = {} as Record<ColumnName, Column>;
  for (const name of ANALYSIS_COLUMNS) columns[name] = kept[name] ? (kept[name] as Uint8Array).subarray(0, facts.packets) : emptyLike(name);
  for (const name of LEFT_EMPTY) columns[name] = emptyLike(name);
  return { ...facts, columns: columns as unknown as PacketColumns };
}

function emptyLike(name: ColumnName): Column {
  return new COLUMN_TYPES[name](0);
}
