// Entry point: streams a pcap/pcapng file through the link decoders into columns.
import { statSync } from 'node:fs';
import { readCapture, type CaptureSummary, type PacketFields } from '../pcap-file.ts';
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

/** Average record size used to size the columns up front (grown by doubling when short). */
const BYTES_PER_PACKET_GUESS = 400;

export function decodeCapture(path: string): DecodedCapture {
  let size = 0;
  try {
    size = statSync(path).size;
  } catch {
    /* readCapture reports a missing file with its own message. */
  }
  const decoder = new CaptureDecoder(path, Math.max(1024, Math.ceil(size / BYTES_PER_PACKET_GUESS)));
  const summary = readCapture(path, (r) => decoder.push(r));
  if (summary.packets === 0 && !linkDecoder(summary.linkType)) throw unknownLinkType(path, summary.linkType);
  return decoder.finish(summary);
}

/**
 * The decoder of one capture, fed one record at a time in file order: decodeCapture feeds it a
 * whole file, live detection (src/detect/online/) the records of a growing file as they land.
 * `decoded()` is a view of everything so far, valid until the next push.
 */
export class CaptureDecoder {
  private readonly state: DecodeState;
  private capacity: number;
  private count = 0;
  private sec0 = 0;
  private nsec0 = 0;
  private lastLink = -1;
  private decoder: LayerDecoder | undefined;
  private truncatedHeaders = 0;

  constructor(private readonly path: string, capacity = 1024) {
    this.capacity = capacity;
    this.state = {
      columns: allocateColumns(capacity),
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

  get packets(): number {
    return this.count;
  }

  push(r: PacketFields): void {
    const state = this.state;
    const i = this.count;
    if (i >= this.capacity) {
      this.capacity *= 2;
      state.columns = growColumns(state.columns, i, this.capacity);
    }
    const c = state.columns;
    if (i === 0) {
      this.sec0 = r.tsSec;
      this.nsec0 = r.tsNsec;
    }
    if (r.linkType !== this.lastLink) {
      this.decoder = linkDecoder(r.linkType);
      this.lastLink = r.linkType;
      if (!this.decoder) throw unknownLinkType(this.path, r.linkType);
    }
    // Integer nanoseconds divided once: the nearest double to the exact decimal time.
    c.time[i] = ((r.tsSec - this.sec0) * 1e9 + (r.tsNsec - this.nsec0)) / 1e9;
    c.wireLen[i] = r.origLen;
    c.capLen[i] = r.capLen;
    resetPacket(c, i);
    state.end = r.capLen;
    state.claimedEnd = r.origLen;
    this.decoder!(r.data, 0, i, state);
    if (c.flags[i] & PACKET_FLAG.TRUNCATED) this.truncatedHeaders++;
    this.count++;
  }

  /** Everything decoded so far (fragments still pending stay pending). */
  decoded(summary?: CaptureSummary): DecodedCapture {
    const state = this.state;
    return {
      packets: this.count,
      columns: trimColumns(state.columns, this.count),
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
    const fragments = this.state.fragments.finish();
    const warnings = [...summary.warnings];
    if (fragments.unreassembled > 0) {
      warnings.push(`${fragments.unreassembled} fragmented IP datagrams in ${this.path} could not be reassembled (fragments missing, overlapping with different bytes, or over the limits); their fragments carry no transport fields`);
    }
    if (this.truncatedHeaders > 0) {
      warnings.push(`${this.truncatedHeaders} of ${summary.packets} packets in ${this.path} have headers cut short (snaplen or damage); their missing fields are 0`);
    }
    return { ...this.decoded(summary), fragments, warnings };
  }
}

function unknownLinkType(path: string, linkType: number): UserError {
  const name = LINK_NAMES[linkType] ? ` (${LINK_NAMES[linkType]})` : '';
  return new UserError(
    `${path} has link type ${linkType}${name}, which scanlab cannot decode`,
    'scanlab decodes Ethernet (1), raw IP (101, 228, 229) and Linux cooked captures (113, 276); capture on an Ethernet-like interface or with tcpdump -i any, or convert with editcap -T ether',
  );
}
