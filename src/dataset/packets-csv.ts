// packets.csv: Wireshark's CSV export columns No., Time, Source, Destination, Protocol, Length
// (Info left out), every field quoted as Wireshark does. Protocol names come from the decoder,
// or for frames cut short from their headers alone (protocol-name.ts), as tshark names them. Time is seconds since the first packet
// with nanosecond digits; Length is the wire length. Written in large chunks: one pass, no
// per-packet I/O.

import { closeSync, openSync, writeSync } from 'node:fs';
import { decodeCaptureInChunks } from '../capture/decode/decode-capture.ts';
import type { PacketColumns } from '../capture/decode/columns.ts';
import type { ProtocolTable } from '../capture/decode/protocol-table.ts';
import type { PacketRecord } from '../capture/pcap-file.ts';
import { AddressColumns } from './address-columns.ts';
import { protocolName } from './protocol-name.ts';

export const CSV_HEADER = '"No.","Time","Source","Destination","Protocol","Length"\n';

export interface CsvResult {
  readonly packets: number;
  readonly protocols: Record<string, number>;
}

export function writePacketsCsv(pcapPath: string, csvPath: string): CsvResult {
  const fd = openSync(csvPath, 'w');
  const protocols = new Map<string, number>();
  const cols = new AddressColumns();
  let chunk = CSV_HEADER;
  let t0s = -1, t0n = 0;
  let packets = 0;
  try {
    // Decoded as it is read (one reused chunk of columns): memory does not grow with the capture.
    const onPacket = (r: PacketRecord, c: PacketColumns, j: number, tables: { readonly protocols: ProtocolTable }) => {
      if (t0s < 0) { t0s = r.tsSec; t0n = r.tsNsec; }
      // Cut frames: tshark can only name what was captured; whole frames: the decoder.
      const proto = r.capLen < r.origLen ? protocolName(r.data, r.linkType) : tables.protocols.name(c.protocol[j]);
      protocols.set(proto, (protocols.get(proto) ?? 0) + 1);
      cols.read(r.data, r.linkType);
      chunk += `"${r.index + 1}","${relTime(r.tsSec - t0s, r.tsNsec - t0n)}","${cols.source}","${cols.destination}","${proto}","${r.origLen}"\n`;
      packets++;
      if (chunk.length > 1 << 20) { writeSync(fd, chunk); chunk = ''; }
    };
    decodeCaptureInChunks(pcapPath, () => {}, { onPacket });
    writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return { packets, protocols: Object.fromEntries([...protocols].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) };
}

function relTime(sec: number, nsec: number): string {
  if (nsec < 0) { sec -= 1; nsec += 1_000_000_000; }
  if (sec < 0) return `-${relTime(-sec - (nsec ? 1 : 0), nsec ? 1_000_000_000 - nsec : 0)}`;
  return `${sec}.${String(nsec).padStart(9, '0')}`;
}
