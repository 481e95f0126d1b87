// labels.csv of a run (header `no,label,step`, `no` = 1-based packet number): counted for the
// manifest and copied as it is. Anonymization keeps every packet and its number, so the labels
// stay valid for the anonymized capture.

import { readFileSync } from 'node:fs';
import { UserError } from '../errors.ts';

export interface LabelCounts {
  readonly rows: number;
  readonly byLabel: Record<string, number>;
  readonly byStep: Record<string, number>;
}

export function countLabels(path: string, packets: number): LabelCounts {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  if (lines[0].trim() !== 'no,label,step') {
    throw new UserError(`${path} does not start with the header "no,label,step" (found "${lines[0].trim()}")`, 'labels.csv is written by the run engine; re-run the labelling step');
  }
  const byLabel = new Map<string, number>();
  const byStep = new Map<string, number>();
  let rows = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const [no, label, step = ''] = line.split(',');
    const n = Number(no);
    if (!Number.isInteger(n) || n < 1 || n > packets) {
      throw new UserError(`${path} line ${i + 1}: packet number "${no}" is not between 1 and ${packets}, the capture's packet count`, 'labels.csv must belong to this capture.pcap');
    }
    rows++;
    byLabel.set(label, (byLabel.get(label) ?? 0) + 1);
    if (step) byStep.set(step, (byStep.get(step) ?? 0) + 1);
  }
  const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  return { rows, byLabel: sorted(byLabel), byStep: sorted(byStep) };
}
