// Entry point: streams a pcap/pcapng file through the link decoders into columns.
import { statSync } from 'node:fs';
import { readCapture, type CaptureSummary } from '../pcap-file.ts';
import { UserError } from '../../errors.ts';
import { allocateColumns, growColumns, resetPacket, trimColumns, PACKET_FLAG, type PacketColumns } from './columns.ts';
import { AddressTable } from './address-table.ts';
import { ProtocolTable } from './protocol-table.ts';
import { linkDecoder, LINK_NAMES } from './link.ts';
import { PairMap } from './pair-map.ts';
import type { DecodeState, LayerDecoder } from './state.ts';

export interface DecodedCapture {
  /** Packets decoded (= summary.packets). */
  readonly packets: number;
  readonly columns: PacketColumns;
  readonly addresses: AddressTable;
  readonly protocols: ProtocolTable;
  /** Absolute time of the first packet: whole seconds and nanoseconds. */
  readonly start: { sec: number; nsec: number };
  readonly summary: CaptureSummary;
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
  let capacity = Math.max(1024, Math.ceil(size / BYTES_PER_PACKET_GUESS));
  const state: DecodeState = {
    columns: allocateColumns(capacity),
    addresses: new AddressTable(),
    protocols: new ProtocolTable(),
    tlsVersions: new PairMap(),
    sshVersions: new PairMap(),
    httpConnections: new PairMap(),
    httpPending: new PairMap(),
    pduPending: new PairMap(),
    end: 0,
    claimedEnd: 0,
  };
  let sec0 = 0;
  let nsec0 = 0;
  let lastLink = -1;
  let decoder: LayerDecoder | undefined;
  let truncatedHeaders = 0;
  let splitHeaders = 0;
  const summary = readCapture(path, (r) => {
    const i = r.index;
    if (i >= capacity) {
      capacity *= 2;
      state.columns = growColumns(state.columns, i, capacity);
    }
    const c = state.columns;
    if (i === 0) {
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
    if (c.flags[i] & PACKET_FLAG.TRUNCATED) {
      // A first fragment of a whole frame is not cut short: its transport header goes on in the next fragment.
      if (c.flags[i] & PACKET_FLAG.FIRST_FRAGMENT && r.capLen >= r.origLen) splitHeaders++;
      else truncatedHeaders++;
    }
  });
  if (summary.packets === 0 && !linkDecoder(summary.linkType)) throw unknownLinkType(path, summary.linkType);
  const warnings = [...summary.warnings];
  if (splitHeaders > 0) {
    warnings.push(`${splitHeaders} of ${summary.packets} packets in ${path} are first IP fragments whose transport header goes on in the next fragment (as with nmap -f); scanlab does not reassemble, so their ports and flags are 0`);
  }
  if (truncatedHeaders > 0) {
    warnings.push(`${truncatedHeaders} of ${summary.packets} packets in ${path} have headers cut short (snaplen or damage); their missing fields are 0`);
  }
  return {
    packets: summary.packets,
    columns: trimColumns(state.columns, summary.packets),
    addresses: state.addresses,
    protocols: state.protocols,
    start: { sec: sec0, nsec: nsec0 },
    summary,
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
