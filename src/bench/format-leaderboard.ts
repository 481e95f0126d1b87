// The leaderboard as text or Markdown. Detection first: per scenario, detectors ranked by mean
// packet F1 on the judged packets (on a benign-only scenario, by fewest false alarms), the base
// rate in the title and beside precision; then an overall table (mean over attacked scenarios and
// each detector's worst one). Separation last, in its own tables and never ranked: those scores
// let the labels name the scan clusters. An external detector that failed on some runs says so
// beside its name ("failed 1/3"): those runs are left out of its scores, never counted as zeros.
import type { BenchCell, BenchScenario, Leaderboard, SeparationCell } from './aggregate.ts';
import type { Spread } from './spread.ts';

type Style = 'text' | 'markdown';

export function formatLeaderboard(board: Leaderboard, style: Style = 'text'): string {
  const out: string[] = [];
  out.push(heading('Detection (label-free detectors, scored on the packets after the training part)', style, 2));
  for (const scenario of board.scenarios) {
    const t = detectionTable(scenario, board.cells);
    out.push(...table(t.title, t.header, t.body, style));
  }
  out.push(...overallTable(board, style));
  out.push(heading('Separation (k-means on every row; the labels name the scan clusters: not detection, not ranked)', style, 2));
  for (const scenario of board.scenarios) {
    const mine = board.separation.filter((c) => c.scenario === scenario.name);
    if (mine.length === 0 || scenario.benignOnly) continue;
    out.push(...table(scenario.name, ['feature set', 'ARI', 'NMI', 'V-measure', 'majority-rule F1'], mine.map((c: SeparationCell) => [c.featureSet, pm(c.ari), pm(c.nmi), pm(c.vMeasure), pm(c.majorityF1)]), style));
  }
  return out.join('\n');
}

/** The overall table alone: what a terminal has room for at the end of a bench. */
export function formatOverall(board: Leaderboard): string {
  return overallTable(board, 'text').join('\n');
}

function overallTable(board: Leaderboard, style: Style): string[] {
  return table('Overall: mean over the attacked scenarios; worst = the attacked scenario with the lowest mean F1', ['detector', 'mean F1', 'mean ROC-AUC', 'worst scenario', 'worst F1', 'FA/h on benign-only', 'false hosts per run'],
    [...board.overall].sort((a, b) => (Number.isFinite(b.f1) ? b.f1 : -1) - (Number.isFinite(a.f1) ? a.f1 : -1)).map((o) => [o.failedRuns > 0 ? `${o.detector} (failed ${o.failedRuns} run${o.failedRuns === 1 ? '' : 's'})` : o.detector, fix(o.f1), fix(o.rocAuc), o.worst?.scenario ?? '–', fix(o.worst?.f1 ?? NaN), fix(o.benignOnlyFalseAlarmsPerHour, 0), fix(o.falseHosts, 2)]), style);
}

/** One scenario's detection table: title, header and rows, ranked. */
export function detectionTable(scenario: BenchScenario, cells: readonly BenchCell[]): { title: string; header: string[]; body: string[][]; ranked: BenchCell[] } {
  const ranked = rankedCells(scenario, cells);
  const runMs = Number.isFinite(scenario.runMs.mean) ? `, run ${seconds(scenario.runMs.mean)} s each` : '';
  const title = `${scenario.name}: ${scenario.runs} run${scenario.runs === 1 ? '' : 's'}, ${Math.round(scenario.packets.mean)} packets, scan share ${pct(scenario.scanShare.mean)} (judged part: ${pct(scenario.judgedScanShare.mean)})${runMs}${scenario.benignOnly ? ' — benign only: false alarms are the score' : ''}`;
  const header = ['#', 'detector', 'F1 (mean ± std)', 'F1 min–max', 'precision', 'base rate', 'recall', 'ROC-AUC', 'PR-AUC', 'attackers found', 'false hosts', 'FA/h', 'slowest step s', 'time ms'];
  const b = scenario.benignOnly;
  const body = ranked.map((c, i) => c.runs === 0 ? [
    '–',
    `${c.detector} (failed ${c.failedRuns}/${c.failedRuns})`,
    ...header.slice(2).map(() => '–'),
  ] : [
    c.runs === 0 ? '–' : String(i + 1),
    c.failedRuns > 0 ? `${c.detector} (failed ${c.failedRuns}/${c.runs + c.failedRuns})` : c.detector,
    b ? '–' : pm(c.f1),
    b ? '–' : `${fix(c.f1.min)}–${fix(c.f1.max)}`,
    b ? '–' : fix(c.precision.mean),
    fix(c.baseRate.mean),
    b ? '–' : fix(c.recall.mean),
    fix(c.rocAuc.mean),
    fix(c.prAuc.mean),
    Number.isFinite(c.hostsDetected.mean) ? pct(c.hostsDetected.mean, 0) : '–',
    fix(c.falseHosts.mean, 1),
    fix(c.falseAlarmsPerHour.mean, 0),
    c.stepsMissedRuns > 0 ? `missed in ${c.stepsMissedRuns}` : Number.isFinite(c.timeToDetectMs.mean) ? (c.timeToDetectMs.mean / 1000).toFixed(2) : '–',
    String(Math.round(c.ms.mean)),
  ]);
  return { title, header, body, ranked };
}

function heading(text: string, style: Style, level: number): string {
  return style === 'markdown' ? `${'#'.repeat(level + 1)} ${text}\n` : `${text}\n${'='.repeat(text.length)}\n`;
}

function table(title: string, header: string[], body: string[][], style: Style): string[] {
  if (style === 'markdown') {
    return [`#### ${title}`, '', `| ${header.join(' | ')} |`, `|${header.map((_, i) => (i > 1 ? '---:' : '---')).join('|')}|`, ...body.map((row) => `| ${row.join(' | ')} |`), ''];
  }
  const nameCol = header[0] === '#' ? 1 : 0;
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (r: string[]) => `  ${r.map((v, i) => (i === nameCol ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ')}`;
  return [title, line(header), ...body.map(line), ''];
}

export function rankedCells(scenario: BenchScenario, cells: readonly BenchCell[]): BenchCell[] {
  const mine = cells.filter((c) => c.scenario === scenario.name);
  const orZero = (v: number) => (Number.isFinite(v) ? v : 0);
  // A detector that failed on every run has no score: it goes last, unranked, not as a zero.
  const scoredFirst = (a: BenchCell, b: BenchCell) => Number(a.runs === 0) - Number(b.runs === 0);
  return scenario.benignOnly
    ? [...mine].sort((a, b) => scoredFirst(a, b) || orZero(a.falseAlarmsPerHour.mean) - orZero(b.falseAlarmsPerHour.mean) || orZero(a.falseHosts.mean) - orZero(b.falseHosts.mean))
    : [...mine].sort((a, b) => scoredFirst(a, b) || orZero(b.f1.mean) - orZero(a.f1.mean) || orZero(b.rocAuc.mean) - orZero(a.rocAuc.mean));
}

function pm(s: Spread): string {
  return `${fix(s.mean)} ± ${fix(s.std)}`;
}

function fix(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toFixed(digits) : '–';
}

function pct(v: number, digits = 1): string {
  return Number.isFinite(v) ? `${(100 * v).toFixed(digits)}%` : '–';
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
