// The leaderboard as text: per scenario, detectors ranked by mean packet-weighted scan F1 (on a
// benign-only scenario, by fewest false positives).
import type { BenchCell, BenchScenario } from './aggregate.ts';
import type { Spread } from './spread.ts';

export function formatLeaderboard(scenarios: readonly BenchScenario[], cells: readonly BenchCell[], style: 'text' | 'markdown' = 'text'): string {
  const out: string[] = [];
  for (const scenario of scenarios) {
    const rows = rankedCells(scenario, cells);
    const runMs = Number.isFinite(scenario.runMs.mean) ? `, run ${seconds(scenario.runMs.mean)} s each` : '';
    const title = `${scenario.name}: ${scenario.runs} run${scenario.runs === 1 ? '' : 's'}, ${Math.round(scenario.packets.mean)} packets (${pct(scenario.scanShare.mean)} scan)${runMs}${scenario.benignOnly ? ' — benign only: false-positive share is the score' : ''}`;
    const header = ['#', 'detector', 'scan F1 (mean ± std)', 'F1 min–max', 'ARI', 'NMI', 'V-measure', 'FP share', 'time ms'];
    const body = rows.map((c, i) => [
      String(i + 1),
      c.detector,
      scenario.benignOnly ? '–' : pm(c.scanF1),
      scenario.benignOnly ? '–' : `${fix(c.scanF1.min)}–${fix(c.scanF1.max)}`,
      scenario.benignOnly ? '–' : pm(c.ari),
      scenario.benignOnly ? '–' : pm(c.nmi),
      scenario.benignOnly ? '–' : pm(c.vMeasure),
      Number.isFinite(c.fpShare.mean) ? pct(c.fpShare.mean, 2) : '–',
      String(Math.round(c.ms.mean)),
    ]);
    if (style === 'markdown') {
      out.push(`### ${title}`, '', `| ${header.join(' | ')} |`, `|${header.map((_, i) => (i > 1 ? '---:' : '---')).join('|')}|`);
      for (const row of body) out.push(`| ${row.join(' | ')} |`);
      out.push('');
    } else {
      out.push(title);
      const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
      const line = (r: string[]) => `  ${r.map((v, i) => (i === 1 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ')}`;
      out.push(line(header));
      for (const row of body) out.push(line(row));
      out.push('');
    }
  }
  return `${out.join('\n')}`;
}

export function rankedCells(scenario: BenchScenario, cells: readonly BenchCell[]): BenchCell[] {
  const mine = cells.filter((c) => c.scenario === scenario.name);
  return scenario.benignOnly
    ? [...mine].sort((a, b) => (a.fpShare.mean || 0) - (b.fpShare.mean || 0))
    : [...mine].sort((a, b) => b.scanF1.mean - a.scanF1.mean || b.ari.mean - a.ari.mean);
}

function pm(s: Spread): string {
  return `${fix(s.mean)} ± ${fix(s.std)}`;
}

function fix(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : '–';
}

function pct(v: number, digits = 1): string {
  return Number.isFinite(v) ? `${(100 * v).toFixed(digits)}%` : '–';
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
