// labels.csv read into per-packet arrays for the flow table: scan or benign, and the attack step.
// countLabels (labels.ts) has already checked the header and every packet number; every packet has a label.

import { readLabelsCsv } from '../analysis/labels.ts';

export const PACKET_LABEL = { BENIGN: 0, SCAN: 1, NONE: 255 } as const;

export interface PacketLabels {
  /** PACKET_LABEL per packet (0-based index). */
  readonly label: Uint8Array;
  /** Index into `steps` + 1 per packet; 0 = no step. */
  readonly step: Uint16Array;
  readonly steps: readonly string[];
}

export function readPacketLabels(path: string, packets: number): PacketLabels {
  // The streaming parser analyze uses: no copy of the file, no string per line.
  const { labels, stepOf, steps } = readLabelsCsv(path, packets);
  // Its ids count the empty step as 0 and the others from 1 in order of first use: ours exactly.
  return { label: labels, step: stepOf, steps: steps.slice(1) };
}
