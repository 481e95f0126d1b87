// Makes a capture readable after its writer was killed mid-record: cuts the file back to the
// last whole packet, so tcpdump and tshark read it. Returns how many packets the file holds.

import { statSync, truncateSync } from 'node:fs';
import { readCapture } from './pcap-file.ts';

export function repairCapture(path: string): { packets: number; cutBytes: number } {
  let end = 24; // classic pcap file header
  const summary = readCapture(path, (record) => {
    end += 16 + record.capLen;
  });
  if (!summary.truncated || summary.format !== 'pcap') return { packets: summary.packets, cutBytes: 0 };
  const size = statSync(path).size;
  truncateSync(path, end);
  return { packets: summary.packets, cutBytes: size - end };
}

