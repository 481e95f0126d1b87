// labels.csv of a run (header `no,label,step`, `no` = 1-based packet number): checked with the
// same parser analyze and bench use (so one bad file is the same exit 2 everywhere), counted for
// the manifest, and copied as it is. Anonymization keeps every packet and its number, so the
// labels stay valid for the anonymized capture.

import { readLabelsCsv } from '../analysis/labels.ts';

export interface LabelCounts {
  readonly rows: number;
  readonly byLabel: Record<string, number>;
  readonly byStep: Record<string, number>;
}

export function countLabels(path: string, packets: number): LabelCounts {
  const { labels, stepOf, steps } = readLabelsCsv(path, packets);
  const byLabel = new Map<string, number>();
  const byStep = new Map<string, number>();
  const stepCounts = new Float64Array(steps.length);
  let scan = 0;
  for (let i = 0; i < packets; i++) {
    scan += labels[i];
    stepCounts[stepOf[i]]++;
  }
  if (scan > 0) byLabel.set('scan', scan);
  if (packets - scan > 0) byLabel.set('benign', packets - scan);
  steps.forEach((step, id) => {
    if (step && stepCounts[id] > 0) byStep.set(step, stepCounts[id]);
  });
  const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  return { rows: packets, byLabel: sorted(byLabel), byStep: sorted(byStep) };
}
