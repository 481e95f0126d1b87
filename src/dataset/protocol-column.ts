// The Protocol column of packets.csv, from the columnar decoder (src/capture/decode/), which
// names packets as Wireshark's Protocol column does (HTTP, TLSv1.3, DNS, ... or TCP/UDP when
// the payload is cut). One function, so the source of the names can change in one place.

import { decodeCapture } from '../capture/decode/decode-capture.ts';

/** Protocol name of each packet (0-based index) of a capture file. */
export function protocolColumn(pcapPath: string): (index: number) => string {
  const decoded = decodeCapture(pcapPath);
  const codes = decoded.columns.protocol;
  const names = decoded.protocols;
  return (index) => names.name(codes[index]);
}
