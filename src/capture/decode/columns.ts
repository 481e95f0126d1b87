// The decoded capture as columns: one typed array per field, indexed by packet (0-based, file
// order). Decoders write fields at the packet's index; nothing is allocated per packet.
// Columns grow by doubling while streaming and are trimmed to the packet count at the end.

/** Bits of `flags`. */
export const PACKET_FLAG = {
  /** A header was cut short (snaplen or a broken packet): later layers are missing. */
  TRUNCATED: 1,
  /** Link type or ether type not decoded: only time and length are known. */
  UNDECODED: 2,
  /** An IP fragment that did not complete its datagram: no transport fields (decode/reassembly.ts). */
  FRAGMENT: 4,
  /** The fragment that completed a datagram: its transport fields are the reassembled datagram's. */
  REASSEMBLED: 8,
} as const;

/** TCP flag bits as in the header (byte 13, plus NS as bit 8). */
export const TCP_FLAG = { FIN: 0x01, SYN: 0x02, RST: 0x04, PSH: 0x08, ACK: 0x10, URG: 0x20, ECE: 0x40, CWR: 0x80, NS: 0x100 } as const;

/** Sentinel for "no ICMP type/code" in icmpType. */
export const NO_ICMP = 0xffff;

/** The decoder fills every column in its own type; analysis (src/analysis/analysis-columns.ts) holds
 *  some in a narrower one when every value fits, hence the unions. */
export interface PacketColumns {
  /** Seconds since the first packet (like Wireshark's Time column), exact to the nanosecond. */
  time: Float64Array;
  /** Bytes on the wire (Wireshark's Length). */
  wireLen: Uint32Array | Uint16Array;
  capLen: Uint32Array;
  /** Ether type of the network layer (0x0800, 0x86dd, 0x0806, ...), 0 when none. */
  etherType: Uint16Array;
  /** 4 or 6 for IP packets, 0 otherwise. */
  ipVersion: Uint8Array;
  /** IP protocol number of the transport layer (IPv6: after extension headers); 255 when none. */
  ipProto: Uint8Array;
  /** Address ids in the AddressTable: IP addresses, or MAC addresses for non-IP frames; 0 = none. */
  src: Uint32Array | Uint16Array;
  dst: Uint32Array | Uint16Array;
  srcPort: Uint16Array;
  dstPort: Uint16Array;
  /** TCP flags (TCP_FLAG bits); 0 for other protocols. */
  tcpFlags: Uint16Array | Uint8Array;
  tcpSeq: Uint32Array;
  tcpAck: Uint32Array;
  tcpWindow: Uint16Array;
  /** ICMP/ICMPv6 type in the low byte and code in the high byte, NO_ICMP when not ICMP. */
  icmpTypeCode: Uint16Array;
  /** IPv4 identification; 0 for IPv6. */
  ipId: Uint16Array;
  /** IPv4 TTL or IPv6 hop limit. */
  ttl: Uint8Array;
  /** Transport payload bytes (TCP/UDP data, ICMP body), as the IP length says. */
  payloadLen: Uint32Array | Uint16Array;
  /** Transport header bytes: TCP data offset, 8 for UDP and ICMP, 4 for ICMPv6; 0 when none. */
  l4HeaderLen: Uint8Array;
  /** Wireshark-like protocol column: code in the ProtocolTable. */
  protocol: Uint16Array | Uint8Array;
  /** PACKET_FLAG bits. */
  flags: Uint8Array;
}

export type ColumnName = keyof PacketColumns;
/** Each column's typed-array constructor. */
export const COLUMN_TYPES: Record<ColumnName, { new (n: number): PacketColumns[ColumnName] }> = {
  time: Float64Array,
  wireLen: Uint32Array,
  capLen: Uint32Array,
  etherType: Uint16Array,
  ipVersion: Uint8Array,
  ipProto: Uint8Array,
  src: Uint32Array,
  dst: Uint32Array,
  srcPort: Uint16Array,
  dstPort: Uint16Array,
  tcpFlags: Uint16Array,
  tcpSeq: Uint32Array,
  tcpAck: Uint32Array,
  tcpWindow: Uint16Array,
  icmpTypeCode: Uint16Array,
  ipId: Uint16Array,
  ttl: Uint8Array,
  payloadLen: Uint32Array,
  l4HeaderLen: Uint8Array,
  protocol: Uint16Array,
  flags: Uint8Array,
};
const NAMES = Object.keys(COLUMN_TYPES) as ColumnName[];

export function allocateColumns(capacity: number): PacketColumns {
  const out = {} as Record<ColumnName, unknown>;
  for (const name of NAMES) out[name] = new COLUMN_TYPES[name](capacity);
  return out as PacketColumns;
}

/** A copy with room for `capacity` packets, the first `used` kept. */
export function growColumns(columns: PacketColumns, used: number, capacity: number): PacketColumns {
  const out = allocateColumns(capacity);
  for (const name of NAMES) (out[name] as Uint8Array).set((columns[name] as Uint8Array).subarray(0, used));
  return out;
}

/**
 * Views of the first `count` packets. Never a copy: copying 20 columns of a million packets costs
 * more than the decode, and the spare capacity behind the views was never written, so the OS has
 * not committed its pages (it does not count in RSS).
 */
export function trimColumns(columns: PacketColumns, count: number): PacketColumns {
  const out = {} as Record<ColumnName, unknown>;
  for (const name of NAMES) out[name] = (columns[name] as Uint8Array).subarray(0, count);
  return out as PacketColumns;
}

/** Clears packet `i` to "nothing decoded" before the decoders run. */
export function resetPacket(c: PacketColumns, i: number): void {
  c.etherType[i] = 0;
  c.ipVersion[i] = 0;
  c.ipProto[i] = 255;
  c.src[i] = 0;
  c.dst[i] = 0;
  c.srcPort[i] = 0;
  c.dstPort[i] = 0;
  c.tcpFlags[i] = 0;
  c.tcpSeq[i] = 0;
  c.tcpAck[i] = 0;
  c.tcpWindow[i] = 0;
  c.icmpTypeCode[i] = NO_ICMP;
  c.ipId[i] = 0;
  c.ttl[i] = 0;
  c.payloadLen[i] = 0;
  c.l4HeaderLen[i] = 0;
  c.protocol[i] = 0;
  c.flags[i] = 0;
}

/** Views of packets [from, to): the packets of one window, for a builder that reads a capture. */
export function sliceColumns(columns: PacketColumns, from: number, to: number): PacketColumns {
  const out = {} as Record<ColumnName, unknown>;
  for (const name of NAMES) out[name] = (columns[name] as Uint8Array).subarray(from, to);
  return out as PacketColumns;
}
