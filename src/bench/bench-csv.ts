// bench.csv: one row per scenario x detector (detection scores); each score as mean, std, min,
// max columns. Separation stays in bench.json and the leaderboard.
import type { BenchCell } from './aggregate.ts';
import type { Spread } from './spread.ts';

const SCORES = [
  ['f1', 'f1'],
  ['precision', 'precision'],
  ['recall', 'recall'],
  ['roc_auc', 'rocAuc'],
  ['pr_auc', 'prAuc'],
  ['base_rate', 'baseRate'],
  ['hosts_detected', 'hostsDetected'],
  ['false_hosts', 'falseHosts'],
  ['false_alarms_per_hour', 'falseAlarmsPerHour'],
  ['fp_share', 'fpShare'],
  ['time_to_detect_ms', 'timeToDetectMs'],
  ['ms', 'ms'],
  ['cpu_ms', 'cpuMs'],
] as const;

export function benchCsv(cells: readonly BenchCell[]): string {
  const header = ['scenario', 'detector', 'kind', 'runs', 'failed_runs', ...SCORES.flatMap(([col]) => ['mean', 'std', 'min', 'max'].map((s) => `${col}_${s}`))];
  const lines = [header.join(',')];
  for (const cell of cells) {
    const values = SCORES.flatMap(([, key]) => spreadFields(cell[key]));
    lines.push([csvText(cell.scenario), csvText(cell.detector), cell.kind, String(cell.runs), String(cell.failedRuns), ...values].join(','));
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
