// labels.csv read into per-packet arrays for the flow table: scan or benign, and the attack step.
// countLabels (labels.ts) has already checked the header and every packet number.

import { readFileSync } from 'node:fs';

export const PACKET_LABEL = { BENIGN: 0, SCAN: 1, NONE: 255 } as const;

export interface PacketLabels {
  /** PACKET_LABEL per packet (0-based index). */
  readonly label: Uint8Array;
  /** Index into `steps` + 1 per packet; 0 = no step. */
  readonly step: Uint16Array;
  readonly steps: readonly string[];
}

export function readPacketLabels(path: string, packets: number): PacketLabels {
  const label = new Uint8Array(packets).fill(PACKET_LABEL.NONE);
  const step = new Uint16Array(packets);
  const steps: string[] = [];
  const stepIds = new Map<string, number>();
  const lines = readFileSync(path, 'utf8').split('\n');
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '') continue;
    const [no, name, stepName = ''] = lines[i].split(',');
    const p = Number(no) - 1;
    label[p] = name === 'scan' ? PACKET_LABEL.SCAN : PACKET_LABEL.BENIGN;
    if (stepName) {
      let id = stepIds.get(stepName);
      if (id === undefined) {
        steps.push(stepName);
        id = steps.length;
        stepIds.set(stepName, id);
      }
      step[p] = id;
    }
  }
  return { label, step, steps };
}
