// bench.csv: one row per scenario x detector; each score as mean, std, min, max columns.
import type { BenchCell } from './aggregate.ts';
import type { Spread } from './spread.ts';

const SCORES = [
  ['scan_f1', 'scanF1'],
  ['scan_precision', 'scanPrecision'],
  ['scan_recall', 'scanRecall'],
  ['ari', 'ari'],
  ['nmi', 'nmi'],
  ['v_measure', 'vMeasure'],
  ['fp_share', 'fpShare'],
  ['predicted_scan_share', 'predictedScanShare'],
  ['ms', 'ms'],
] as const;

export function benchCsv(cells: readonly BenchCell[]): string {
  const header = ['scenario', 'detector', 'kind', 'runs', ...SCORES.flatMap(([col]) => ['mean', 'std', 'min', 'max'].map((s) => `${col}_${s}`))];
  const lines = [header.join(',')];
  for (const cell of cells) {
    const values = SCORES.flatMap(([, key]) => spreadFields(cell[key]));
    lines.push([csvText(cell.scenario), csvText(cell.detector), cell.kind, String(cell.runs), ...values].join(','));
  }
  return `${lines.join('\n')}\n`;
}

function spreadFields(s: Spread): string[] {
  return [s.mean, s.std, s.min, s.max].map((v) => (Number.isFinite(v) ? String(round(v)) : ''));
}

/** 9 significant digits: exact enough to check, short enough to read. */
function round(v: number): number {
  return Number(v.toPrecision(9));
}

function csvText(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
