// Entry point: streams a pcap/pcapng file through the link decoders into columns.
import { statSync } from 'node:fs';
import { readCapture, type CaptureSummary, type PacketRecord } from '../pcap-file.ts';
import { UserError } from '../../errors.ts';
import { allocateColumns, growColumns, resetPacket, trimColumns, PACKET_FLAG, type PacketColumns } from './columns.ts';
import { AddressTable } from './address-table.ts';
import { ProtocolTable } from './protocol-table.ts';
import { linkDecoder, LINK_NAMES } from './link.ts';
import { PairMap } from './pair-map.ts';
import type { DecodeState, LayerDecoder } from './state.ts';
import { Reassembler, type FragmentStats } from './reassembly.ts';

export interface DecodedCapture {
  /** Packets decoded (= summary.packets). */
  readonly packets: number;
  readonly columns: PacketColumns;
  readonly addresses: AddressTable;
  readonly protocols: ProtocolTable;
  /** Absolute time of the first packet: whole seconds and nanoseconds. */
  readonly start: { sec: number; nsec: number };
  readonly summary: CaptureSummary;
  /** IP fragments seen, datagrams reassembled from them and those that could not be. */
  readonly fragments: FragmentStats;
  /** Warnings for a user: the reader's, plus counts of packets that could not be fully decoded. */
  readonly warnings: string[];
}

/** Average record size used to size the columns up front (grown to the size the file predicts when short). */
const BYTES_PER_PACKET_GUESS = 400;

/** Packets per chunk of decodeCaptureInChunks: 64 Ki packets of columns are about 4 MB. */
export const DEFAULT_CHUNK_PACKETS = 65536;

/** What a whole decode knows besides the columns (DecodedCapture without them). */
export type CaptureFacts = Omit<DecodedCapture, 'columns'>;

/** Packets [first, first + count) of a capture, decoded: `columns[j]` is packet `first + j`. */
export interface DecodedChunk {
  readonly first: number;
  readonly count: number;
  /** Reused for the next chunk: read (or copy) it before the callback returns. */
  readonly columns: PacketColumns;
  /** The capture's tables so far (they only grow: ids stay valid). */
  readonly addresses: AddressTable;
  readonly protocols: ProtocolTable;
}

export interface ChunkOptions {
  /** Packets per chunk (>= 1). */
  readonly chunkPackets?: number;
  /** Called for each packet once it is decoded, with its record (bytes valid only then), its slot j in the chunk's columns and the tables. */
  readonly onPacket?: PacketHook;
}

export type PacketHook = (record: PacketRecord, columns: PacketColumns, j: number, tables: { readonly addresses: AddressTable; readonly protocols: ProtocolTable }) => void;


/** The whole capture as columns in memory (about 57 bytes a packet). */
export function decodeCapture(path: string): DecodedCapture {
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    /* readCapture reports a missing file with its own message. */
  }
  let capacity = Math.max(1024, Math.ceil(size / BYTES_PER_PACKET_GUESS));
  let columns = allocateColumns(capacity);
  const facts = decodeRecords(path, () => columns, (i, r) => {
    if (i >= capacity) {
      // Grown once to the size the records read so far predict (plus a margin), not by doubling
      // again and again: every grow copies the columns and leaves the old ones to the collector.
      // Spare capacity costs nothing until written (untouched pages are not resident).
      const predicted = Math.ceil((size / (r.fileOffset + r.capLen)) * i * 1.05);
      capacity = Math.max(predicted, Math.ceil(capacity * 1.25), i + 1024);
      columns = growColumns(columns, i, capacity);
    }
    return i;
  });
  return { ...facts, columns: trimColumns(columns, facts.packets) };
}

/**
 * The same decode with memory that does not grow with the capture: packets are decoded into one
 * chunk of columns, handed to `onChunk` when it is full (and at the end), then overwritten. Every
 * packet gets exactly the fields decodeCapture gives it (decoders write only the packet being decoded;
 * state across packets, such as reassembly and the protocol column's connections, carries over).
 */
export function decodeCaptureInChunks(path: string, onChunk: (chunk: DecodedChunk) => void, options: ChunkOptions = {}): CaptureFacts {
  const chunkPackets = Math.max(1, Math.floor(options.chunkPackets ?? DEFAULT_CHUNK_PACKETS));
  const columns = allocateColumns(chunkPackets);
  let first = 0;
  let tables: { addresses: AddressTable; protocols: ProtocolTable } | undefined;
  const flush = (count: number) => {
    if (count > 0) onChunk({ first, count, columns, addresses: tables!.addresses, protocols: tables!.protocols });
    first += count;
  };
  const facts = decodeRecords(
    path,
    () => columns,
    (i) => {
      if (i - first >= chunkPackets) flush(chunkPackets);
      return i - first;
    },
    (state) => (tables = state),
    options.onPacket,
  );
  flush(facts.packets - first);
  return facts;
}

/**
 * The one decode loop: each record goes through its link decoder into `columnsNow()` at the slot
 * `slotOf(index)` gives (which may swap or flush the columns first).
 */
function decodeRecords(
  path: string,
  columnsNow: () => PacketColumns,
  slotOf: (index: number, record: PacketRecord) => number,
  onState?: (state: DecodeState) => void,
  onPacket?: PacketHook,
): CaptureFacts {
  const state: DecodeState = {
    columns: columnsNow(),
    addresses: new AddressTable(),
    protocols: new ProtocolTable(),
    tlsVersions: new PairMap(),
    sshVersions: new PairMap(),
    httpConnections: new PairMap(),
    httpPending: new PairMap(),
    pduPending: new PairMap(),
    fragments: new Reassembler(),
    end: 0,
    claimedEnd: 0,
  };
  onState?.(state);
  let sec0 = 0;
  let nsec0 = 0;
  let lastLink = -1;
  let decoder: LayerDecoder | undefined;
  let truncatedHeaders = 0;
  const summary = readCapture(path, (r) => {
    const i = slotOf(r.index, r);
    const c = (state.columns = columnsNow());
    if (r.index === 0) {
      sec0 = r.tsSec;
      nsec0 = r.tsNsec;
    }
    if (r.linkType !== lastLink) {
      decoder = linkDecoder(r.linkType);
      lastLink = r.linkType;
      if (!decoder) throw unknownLinkType(path, r.linkType);
    }
    // Integer nanoseconds divided once: the nearest double to the exact decimal time.
    c.time[i] = ((r.tsSec - sec0) * 1e9 + (r.tsNsec - nsec0)) / 1e9;
    c.wireLen[i] = r.origLen;
    c.capLen[i] = r.capLen;
    resetPacket(c, i);
    state.end = r.capLen;
    state.claimedEnd = r.origLen;
    decoder!(r.data, 0, i, state);
    if (c.flags[i] & PACKET_FLAG.TRUNCATED) truncatedHeaders++;
    onPacket?.(r, c, i, state);
  });
  if (summary.packets === 0 && !linkDecoder(summary.linkType)) throw unknownLinkType(path, summary.linkType);
  const fragments = state.fragments.finish();
  const warnings = [...summary.warnings];
  if (fragments.unreassembled > 0) {
    warnings.push(`${fragments.unreassembled} fragmented IP datagrams in ${path} could not be reassembled (fragments missing, overlapping with different bytes, or over the limits); their fragments carry no transport fields`);
  }
  if (truncatedHeaders > 0) {
    warnings.push(`${truncatedHeaders} of ${summary.packets} packets in ${path} have headers cut short (snaplen or damage); their missing fields are 0`);
  }
  return {
    packets: summary.packets,
    addresses: state.addresses,
    protocols: state.protocols,
    start: { sec: sec0, nsec: nsec0 },
    summary,
    fragments,
    warnings,
  };
}

function unknownLinkType(path: string, linkType: number): UserError {
  const name = LINK_NAMES[linkType] ? ` (${LINK_NAMES[linkType]})` : '';
  return new UserError(
    `${path} has link type ${linkType}${name}, which scanlab cannot decode`,
    'scanlab decodes Ethernet (1), raw IP (101, 228, 229) and Linux cooked captures (113, 276); capture on an Ethernet-like interface or with tcpdump -i any, or convert with editcap -T ether',
  );
}
