// labels.csv of a run (header `no,label,step`, `no` = 1-based packet number): counted for the
// manifest and copied as it is. Anonymization keeps every packet and its number, so the labels
// stay valid for the anonymized capture. Checked in full before a dataset is written: one row
// per packet, none twice, every label scan or benign.

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
    throw new UserError(`${path} line 1 does not start with the header "no,label,step" (found "${lines[0].trim()}")`, 'labels.csv is written by the run engine; re-run the labelling step');
  }
  const byLabel = new Map<string, number>();
  const byStep = new Map<string, number>();
  const lineOf = new Uint32Array(packets);
  const hint = 'labels.csv must hold one row per packet of this capture.pcap, labelled scan or benign; regenerate it with the labelling step';
  let rows = 0;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    if (line === '') continue;
    const [no, label, step = ''] = line.split(',');
    const n = Number(no);
    if (!/^\d+$/.test(no) || n < 1 || n > packets) {
      throw new UserError(`${path} line ${i + 1}: packet number "${no}" is not between 1 and ${packets}, the capture's packet count`, hint);
    }
    if (label !== 'scan' && label !== 'benign') throw new UserError(`${path} line ${i + 1}: label "${label ?? ''}" is neither scan nor benign`, hint);
    if (lineOf[n - 1]) throw new UserError(`${path} line ${i + 1}: packet ${n} is labelled twice (also on line ${lineOf[n - 1]})`, hint);
    lineOf[n - 1] = i + 1;
    rows++;
    byLabel.set(label, (byLabel.get(label) ?? 0) + 1);
    if (step) byStep.set(step, (byStep.get(step) ?? 0) + 1);
  }
  if (rows !== packets) {
    const missing = lineOf.indexOf(0) + 1;
    throw new UserError(`${path} labels ${rows} of the ${packets} packets of the capture; ${packets - rows === 1 ? `packet ${missing} has no row` : `packet ${missing} and ${packets - rows - 1} more have no row`}`, hint);
  }
  const sorted = (m: Map<string, number>) => Object.fromEntries([...m].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  return { rows, byLabel: sorted(byLabel), byStep: sorted(byStep) };
}
