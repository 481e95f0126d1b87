// What the per-layer decoders share while one capture is decoded: the columns they write, the
// interning tables, and a few scratch fields that carry one packet's bounds between layers.
import type { PacketColumns } from './columns.ts';
import type { AddressTable } from './address-table.ts';
import type { ProtocolTable } from './protocol-table.ts';
import type { PairMap } from './pair-map.ts';
import type { Reassembler } from './reassembly.ts';

export interface DecodeState {
  columns: PacketColumns;
  addresses: AddressTable;
  protocols: ProtocolTable;
  /** Per-connection TLS version seen in a ServerHello, for the protocol column. */
  tlsVersions: PairMap;
  /** Per connection: set once it carried an HTTP message start. */
  httpConnections: PairMap;
  /** Per connection: 2 once an "SSH-2.0-" banner was seen. */
  sshVersions: PairMap;
  /** Per direction of an HTTP connection: body bytes still to come for the current message. */
  httpPending: PairMap;
  /** Per direction of a TLS connection: bytes still to come of the current record (x 65536) plus the name code. */
  pduPending: PairMap;
  /** IP datagrams waiting for the rest of their fragments. */
  fragments: Reassembler;
  /** End of the current layer's bytes (IP total length may be shorter than the captured frame). */
  end: number;
  /** Bytes the headers say the current layer holds (may exceed `end` when snaplen cut it). */
  claimedEnd: number;
}

/**
 * Every decoder has this shape: read the layer at data[offset..state.end), write its fields at
 * packet `i`, and hand the next layer on (by calling its decoder). Never throws on bad bytes: a
 * short header sets PACKET_FLAG.TRUNCATED and stops.
 */
export type LayerDecoder = (data: Uint8Array, offset: number, i: number, state: DecodeState) => void;
