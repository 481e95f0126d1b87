// The readable table `scanlab analyze` prints: one line per feature set with rows, k, the
// per-packet scores and the rating, then the per-row scores, then warnings.
import type { AnalysisResult } from './analysis-result.ts';
import type { Metrics } from '../score/metrics.ts';

const METRIC_COLUMNS: [keyof Metrics, string][] = [
  ['ari', 'ARI'],
  ['nmi', 'NMI'],
  ['homogeneity', 'hom'],
  ['completeness', 'compl'],
  ['vMeasure', 'V'],
  ['purity', 'purity'],
  ['scanPrecision', 'scanP'],
  ['scanRecall', 'scanR'],
  ['scanF1', 'scanF1'],
];

export function formatAnalysisTable(result: AnalysisResult): string {
  const out: string[] = [];
  const labelText =
    result.scanPackets === null ? 'no labels (clusters only; give --scanner ADDR or a run directory to score)' : `${result.scanPackets} scan packets (${result.labelSource})`;
  out.push(`${result.capture}: ${result.packets} packets, ${labelText}`);
  out.push('');
  const header = ['feature set', 'rows', 'k', 'rating', ...METRIC_COLUMNS.map(([, h]) => h), 'time'];
  const table: string[][] = [header];
  for (const [name, fs] of Object.entries(result.featureSets)) {
    const ms = fs.timings.featuresMs + fs.timings.kmeansMs + fs.timings.scoreMs;
    const base = [name, String(fs.rows), String(fs.k), fs.rating === null ? '-' : fs.rating.toFixed(1)];
    const metricCells = (m: Metrics | null) => METRIC_COLUMNS.map(([key]) => (m ? m[key].toFixed(3) : '-'));
    table.push([...base, ...metricCells(fs.metricsByPackets), `${ms.toFixed(0)} ms`]);
    if (fs.metrics) table.push(['  per row', '', '', '', ...metricCells(fs.metrics), '']);
    if (!fs.metrics) table.push([`  cluster sizes: ${fs.clusterSizes.join(' ')}`]);
  }
  const widths = header.map((_, j) => Math.max(...table.filter((r) => r.length === header.length).map((r) => r[j].length)));
  for (const row of table) {
    if (row.length !== header.length) out.push(row.join(''));
    else out.push(row.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]) : cell.padStart(widths[j]))).join('  ').trimEnd());
  }
  if (result.scanPackets !== null) out.push('', 'scores per packet (each packet takes its row\'s cluster); "per row" lines score rows by their majority label');
  out.push(`decode ${result.timings.decodeMs.toFixed(0)} ms, total ${result.timings.totalMs.toFixed(0)} ms`);
  for (const w of result.warnings) out.push(`warning: ${w}`);
  return out.join('\n') + '\n';
}
