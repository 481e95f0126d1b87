// The capture as analysis reads it: decoded in chunks (decodeCaptureInChunks) with only the
// columns that feature sets, detectors, scoring and the report read copied into whole-capture
// arrays. The columns no analysis code reads (capLen, etherType, TCP sequence/ack/window, IPv4
// id, TTL, transport header length) are left empty (length 0): a reader of one of them must add
// it to ANALYSIS_COLUMNS first. Columns whose values fit a narrower type are held in it (address
// ids and lengths in 16 bits, TCP flags and protocol codes in 8), widened the moment a value does
// not fit: 27 bytes a packet instead of the decoder's 57 on a lab capture, the same values.
import { statSync } from 'node:fs';
import { decodeCaptureInChunks, predictedCapacity, type DecodedCapture } from '../capture/decode/decode-capture.ts';
import { COLUMN_TYPES, type ColumnName, type PacketColumns } from '../capture/decode/columns.ts';

type Column = PacketColumns[ColumnName];

/** What src/features, src/detect, src/score, src/analysis and src/report read. */
export const ANALYSIS_COLUMNS = ['time', 'wireLen', 'ipVersion', 'ipProto', 'src', 'dst', 'srcPort', 'dstPort', 'tcpFlags', 'icmpTypeCode', 'payloadLen', 'protocol', 'flags'] as const satisfies readonly ColumnName[];

const LEFT_EMPTY = ['capLen', 'etherType', 'tcpSeq', 'tcpAck', 'tcpWindow', 'ipId', 'ttl', 'l4HeaderLen'] as const satisfies readonly ColumnName[];

/** Bytes a record takes in the file beyond its captured bytes (pcap's record header), to predict the packet count. */
const RECORD_HEADER_BYTES = 16;

/** Columns held narrower while every value fits: the narrower type. Readers only index them. */
const NARROW: Partial<Record<ColumnName, { type: new (n: number) => Column; max: number }>> = {
  wireLen: { type: Uint16Array, max: 0xffff },
  payloadLen: { type: Uint16Array, max: 0xffff },
  src: { type: Uint16Array, max: 0xffff },
  dst: { type: Uint16Array, max: 0xffff },
  tcpFlags: { type: Uint8Array, max: 0xff },
  protocol: { type: Uint8Array, max: 0xff },
};

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
  /** Per column, the type it is held in now (the narrow one until a value does not fit). */
  const typeOf = {} as Record<ColumnName, new (n: number) => Column>;
  for (const name of ANALYSIS_COLUMNS) typeOf[name] = NARROW[name]?.type ?? COLUMN_TYPES[name];
  const facts = decodeCaptureInChunks(path, (chunk) => {
    const c = chunk.columns;
    const end = chunk.first + chunk.count;
    for (let j = 0; j < chunk.count; j++) bytesSeen += c.capLen[j] + RECORD_HEADER_BYTES;
    for (const name of ANALYSIS_COLUMNS) {
      const narrow = NARROW[name];
      if (!narrow || typeOf[name] !== narrow.type || largest(c[name], chunk.count) <= narrow.max) continue;
      typeOf[name] = COLUMN_TYPES[name];
      if (capacity > 0) kept[name] = copied(kept[name], chunk.first, capacity, COLUMN_TYPES[name]);
    }
    if (end > capacity) {
      const next = Math.max(predictedCapacity(fileSize, bytesSeen, end, capacity), end + chunk.count);
      for (const name of ANALYSIS_COLUMNS) kept[name] = copied(kept[name], chunk.first, next, typeOf[name]);
      capacity = next;
    }
    for (const name of ANALYSIS_COLUMNS) (kept[name] as Uint8Array).set((c[name] as Uint8Array).subarray(0, chunk.count), chunk.first);
  });
  const columns = {} as Record<ColumnName, Column>;
  for (const name of ANALYSIS_COLUMNS) columns[name] = kept[name] ? (kept[name] as Uint8Array).subarray(0, facts.packets) : emptyLike(name);
  for (const name of LEFT_EMPTY) columns[name] = emptyLike(name);
  return { ...facts, columns: columns as unknown as PacketColumns };
}

/** A `type` array of `length` holding the first `used` values of `from` (none when there is none yet). */
function copied(from: Column | undefined, used: number, length: number, type: new (n: number) => Column): Column {
  const out = new type(length);
  if (from && used > 0) (out as Uint8Array).set((from as Uint8Array).subarray(0, used));
  return out;
}

function largest(values: Column, count: number): number {
  let max = 0;
  for (let j = 0; j < count; j++) if (values[j] > max) max = values[j];
  return max;
}

function emptyLike(name: ColumnName): Column {
  return new COLUMN_TYPES[name](0);
}
