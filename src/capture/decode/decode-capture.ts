// Entry point: streams a pcap/pcapng file through the link decoders into columns.
import { statSync } from 'node:fs';
import { readCapture, type CaptureSummary, type PacketFields, type PacketRecord } from '../pcap-file.ts';
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
  const decoder = new CaptureDecoder(path, growingColumns(Math.max(1024, Math.ceil(size / BYTES_PER_PACKET_GUESS)), size));
  const summary = readCapture(path, (r) => decoder.push(r));
  if (summary.packets === 0 && !linkDecoder(summary.linkType)) throw unknownLinkType(path, summary.linkType);
  return decoder.finish(summary);
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
  const flush = (count: number) => {
    if (count > 0) onChunk({ first, count, columns, addresses: decoder.tables.addresses, protocols: decoder.tables.protocols });
    first += count;
  };
  const placement: ColumnPlacement = {
    columns,
    first: 0,
    room: chunkPackets,
    full() {
      flush(chunkPackets);
      placement.first = first;
    },
  };
  const decoder = new CaptureDecoder(path, placement);
  const onPacket = options.onPacket;
  const summary = readCapture(
    path,
    onPacket
      ? (r) => {
          const j = decoder.push(r);
          onPacket(r, columns, j, decoder.tables);
        }
      : (r) => decoder.push(r),
  );
  if (summary.packets === 0 && !linkDecoder(summary.linkType)) throw unknownLinkType(path, summary.linkType);
  flush(summary.packets - first);
  return decoder.finishFacts(summary);
}

/**
 * Where packets are decoded to: packet `index` goes to slot `index - first` of `columns`, which
 * has `room` slots. Only when a packet finds no room does the decoder call `full`, which grows,
 * swaps or flushes the columns and updates these fields: the per-packet path is a subtraction
 * and a compare, not a call.
 */
interface ColumnPlacement {
  columns: PacketColumns;
  first: number;
  room: number;
  /** Makes room for packet `index`; `bytesSeen`: record bytes read so far, this one included. */
  full(index: number, bytesSeen: number): void;
}

/**
 * Columns for the whole capture, grown when short to the size the records read so far predict
 * (plus a margin), not by doubling again and again: every grow copies the columns and leaves the
 * old ones to the collector. Spare capacity costs nothing until written (untouched pages are not
 * resident). Without a file size (a live capture) it doubles.
 */
function growingColumns(initial: number, fileSize = 0): ColumnPlacement {
  const placement: ColumnPlacement = {
    columns: allocateColumns(initial),
    first: 0,
    room: initial,
    full(index: number, bytesSeen: number): void {
      const capacity = Math.max(predictedCapacity(fileSize, bytesSeen, index, placement.room), index + 1024);
      placement.columns = growColumns(placement.columns, index, capacity);
      placement.room = capacity;
    },
  };
  return placement;
}

/**
 * How many packets columns holding `packets` so far should grow to: what the file size predicts
 * from the record bytes seen (plus 5 %), at least a quarter more than now; doubling without a size.
 * Each grow copies, and spare capacity costs nothing until written (untouched pages are not resident).
 */
export function predictedCapacity(fileSize: number, bytesSeen: number, packets: number, capacity: number): number {
  const predicted = fileSize > 0 && bytesSeen > 0 ? Math.ceil((fileSize / bytesSeen) * packets * 1.05) : 2 * Math.max(capacity, packets);
  return Math.max(predicted, Math.ceil(capacity * 1.25));
}

/** A record as push reads it; `buffer` and `offset` (the file reader's) let it skip the `data` view. */
type DecoderInput = PacketFields & { readonly buffer?: Uint8Array; readonly offset?: number };

/**
 * The decoder of one capture, fed one record at a time in file order: decodeCapture feeds it a
 * whole file, live detection (src/detect/online/) the records of a growing file as they land.
 * `decoded()` is a view of everything so far, valid until the next push.
 */
export class CaptureDecoder {
  private readonly state: DecodeState;
  private readonly placement: ColumnPlacement;
  private count = 0;
  private bytesSeen = 0;
  private sec0 = 0;
  private nsec0 = 0;
  private lastLink = -1;
  private decoder: LayerDecoder = noDecoder;
  private truncatedHeaders = 0;

  /** `placement`: where packets go, or the first capacity of columns that grow (doubling). */
  constructor(private readonly path: string, placement: ColumnPlacement | number = 1024) {
    this.placement = typeof placement === 'number' ? growingColumns(placement) : placement;
    this.state = {
      columns: this.placement.columns,
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
  }

  /** The capture's address and protocol tables so far (they only grow: ids stay valid). */
  get tables(): { readonly addresses: AddressTable; readonly protocols: ProtocolTable } {
    return this.state;
  }

  get packets(): number {
    return this.count;
  }

  /** The columns `push` writes to (the slot it returns indexes them), valid until the next push. */
  get columns(): PacketColumns {
    return this.state.columns;
  }

  /** Decodes the next record; returns the slot of the columns it went to. */
  push(r: DecoderInput): number {
    const state = this.state;
    const placement = this.placement;
    const index = this.count;
    this.bytesSeen += r.capLen + 16;
    let i = index - placement.first;
    if (i >= placement.room) {
      placement.full(index, this.bytesSeen);
      state.columns = placement.columns;
      i = index - placement.first;
    }
    const c = state.columns;
    if (index === 0) {
      this.sec0 = r.tsSec;
      this.nsec0 = r.tsNsec;
    }
    if (r.linkType !== this.lastLink) {
      const decoder = linkDecoder(r.linkType);
      if (!decoder) throw unknownLinkType(this.path, r.linkType);
      this.decoder = decoder;
      this.lastLink = r.linkType;
    }
    // Integer nanoseconds divided once: the nearest double to the exact decimal time.
    c.time[i] = ((r.tsSec - this.sec0) * 1e9 + (r.tsNsec - this.nsec0)) / 1e9;
    c.wireLen[i] = r.origLen;
    c.capLen[i] = r.capLen;
    resetPacket(c, i);
    // The reader's chunk at the record's offset rather than a view made for each packet: the
    // decoders read only data[offset, state.end), so the bytes around the record are never seen.
    const buffer = r.buffer;
    const data = buffer === undefined ? r.data : buffer;
    const offset = buffer === undefined ? 0 : r.offset!;
    state.end = offset + r.capLen;
    state.claimedEnd = offset + r.origLen;
    this.decoder(data, offset, i, state);
    if (c.flags[i] & PACKET_FLAG.TRUNCATED) this.truncatedHeaders++;
    this.count++;
    return i;
  }

  /** Everything decoded so far (fragments still pending stay pending); whole-capture placement only. */
  decoded(summary?: CaptureSummary): DecodedCapture {
    const state = this.state;
    return {
      packets: this.count,
      columns: trimColumns(this.placement.columns, this.count),
      addresses: state.addresses,
      protocols: state.protocols,
      start: { sec: this.sec0, nsec: this.nsec0 },
      summary: summary ?? { format: 'pcap', linkType: this.lastLink, snaplen: 0, packets: this.count, truncated: false, warnings: [] },
      fragments: { fragments: 0, reassembled: 0, unreassembled: 0 } as FragmentStats,
      warnings: [],
    };
  }

  /** The whole capture, once its last record is in. */
  finish(summary: CaptureSummary): DecodedCapture {
    const { packets, ...rest } = this.finishFacts(summary);
    return { packets, columns: trimColumns(this.placement.columns, this.count), ...rest };
  }

  /** What finish gives without the columns (a chunked decode has handed them on already). */
  finishFacts(summary: CaptureSummary): CaptureFacts {
    const fragments = this.state.fragments.finish();
    const warnings = [...summary.warnings];
    if (fragments.unreassembled > 0) {
      warnings.push(`${fragments.unreassembled} fragmented IP datagrams in ${this.path} could not be reassembled (fragments missing, overlapping with different bytes, or over the limits); their fragments carry no transport fields`);
    }
    if (this.truncatedHeaders > 0) {
      warnings.push(`${this.truncatedHeaders} of ${summary.packets} packets in ${this.path} have headers cut short (snaplen or damage); their missing fields are 0`);
    }
    const state = this.state;
    return {
      packets: this.count,
      addresses: state.addresses,
      protocols: state.protocols,
      start: { sec: this.sec0, nsec: this.nsec0 },
      summary,
      fragments,
      warnings,
    };
  }
}

/** The link decoder before the first record (push picks the record's own before calling it). */
const noDecoder: LayerDecoder = () => {};

function unknownLinkType(path: string, linkType: number): UserError {
  const name = LINK_NAMES[linkType] ? ` (${LINK_NAMES[linkType]})` : '';
  return new UserError(
    `${path} has link type ${linkType}${name}, which scanlab cannot decode`,
    'scanlab decodes Ethernet (1), raw IP (101, 228, 229) and Linux cooked captures (113, 276); capture on an Ethernet-like interface or with tcpdump -i any, or convert with editcap -T ether',
  );
}
