// The readable tables `scanlab analyze` prints: detection first (label-free detectors, scored per
// packet after the training part, the base rate beside precision), then separation (how well each
// feature set's clustering splits scan from benign when the labels name the scan clusters: never
// a detection score), then warnings.
import type { AnalysisResult } from './analysis-result.ts';
import type { DetectorResult } from './detect-capture.ts';
import type { Metrics } from '../score/metrics.ts';

const SEPARATION_COLUMNS: [keyof Metrics, string][] = [
  ['ari', 'ARI'],
  ['nmi', 'NMI'],
  ['homogeneity', 'hom'],
  ['completeness', 'compl'],
  ['vMeasure', 'V'],
  ['purity', 'purity'],
  ['scanF1', 'majority F1'],
];

export function formatAnalysisTable(result: AnalysisResult): string {
  const out: string[] = [];
  const labelText =
    result.scanPackets === null ? 'no labels (decisions and clusters only; give --scanner ADDR or a run directory to score)' : `${result.scanPackets} scan packets (${result.labelSource})`;
  out.push(`${result.capture}: ${result.packets} packets, ${labelText}`);
  out.push(`training part: ${trainingText(result.training)}`);
  out.push('');
  out.push('Detection (no detector reads labels; scored on the packets after the training part)');
  out.push(...detectionTable(result));
  out.push('');
  out.push('Separation (k-means on every row; the labels name the scan clusters, so this is not detection)');
  out.push(...separationTable(result));
  out.push(`decode ${result.timings.decodeMs.toFixed(0)} ms, detect ${result.timings.detectMs.toFixed(0)} ms, total ${result.timings.totalMs.toFixed(0)} ms`);
  for (const [name, d] of Object.entries(result.detectors)) for (const note of d.notes) out.push(`note: ${name}: ${note}`);
  for (const [name, d] of Object.entries(result.detectors)) if (d.cpuMs !== undefined && !d.failed) out.push(`note: ${name}: external program, wall ${d.ms.toFixed(0)} ms, CPU ${d.cpuMs === null ? 'unknown' : `${d.cpuMs.toFixed(0)} ms`}`);
  for (const w of result.warnings) out.push(`warning: ${w}`);
  return out.join('\n') + '\n';
}

export function trainingText(t: AnalysisResult['training']): string {
  switch (t.source) {
    case 'warm-up': return `the run's warm-up, the first ${t.untilSeconds!.toFixed(1)} s`;
    case 'train-until': return `the first ${t.untilSeconds!.toFixed(1)} s (--train-until)`;
    case 'train-capture': return `${t.capture} (--train)`;
    default: return 'none: the learning detectors fall back to a weaker rule (give --train-until SECONDS or --train CAPTURE)';
  }
}

const f3 = (v: number | null | undefined) => (v === null || v === undefined ? '-' : v.toFixed(3));

function detectionTable(result: AnalysisResult): string[] {
  const labelled = result.scanPackets !== null;
  const header = labelled
    ? ['detector', 'base rate', 'precision', 'recall', 'F1', 'ROC-AUC', 'PR-AUC', 'attackers', 'false hosts', 'FA/h', 'first alert']
    : ['detector', 'judged', 'flagged', 'hosts named'];
  const rows = Object.entries(result.detectors).map(([name, d]) => (labelled ? labelledRow(name, d) : [d.failed ? `${name} (FAILED)` : name, String(d.judgedPackets), d.failed ? '-' : String(d.flaggedPackets), d.flaggedHosts.join(' ') || '-']));
  const lines = alignTable([header, ...rows]);
  if (labelled) lines.push('per packet; attackers = attacking hosts named / all; FA/h = flagged benign (source, minute) pairs per hour; first alert = slowest step\'s time to detect');
  return lines;
}

function labelledRow(name: string, d: DetectorResult): string[] {
  if (d.failed) return [`${name} (FAILED)`, ...Array(10).fill('-')];
  const p = d.packets!;
  const h = d.hosts!;
  const attackers = h.detected.length + h.missed.length;
  const ttd = Object.values(d.timeToDetectMs ?? {});
  const slowest = ttd.length === 0 ? '-' : ttd.includes(null) ? 'missed' : `${(Math.max(...(ttd as number[])) / 1000).toFixed(2)} s`;
  return [name, f3(p.baseRate), f3(p.precision), f3(p.recall), f3(p.f1), f3(p.rocAuc), f3(p.prAuc), `${h.detected.length}/${attackers}`, String(h.falselyFlagged.length), d.falseAlarmsPerHour === null ? '-' : d.falseAlarmsPerHour.toFixed(0), slowest];
}

function separationTable(result: AnalysisResult): string[] {
  const header = ['feature set', 'rows', 'k', 'rating', ...SEPARATION_COLUMNS.map(([, h]) => h)];
  const table: string[][] = [header];
  const extra: string[] = [];
  for (const [name, fs] of Object.entries(result.featureSets)) {
    const cells = (m: Metrics | null) => SEPARATION_COLUMNS.map(([key]) => (m ? m[key].toFixed(3) : '-'));
    table.push([name, String(fs.rows), String(fs.k), fs.rating === null ? '-' : fs.rating.toFixed(1), ...cells(fs.metricsByPackets)]);
    if (!fs.metrics) extra.push(`  ${name} cluster sizes: ${fs.clusterSizes.join(' ')}`);
  }
  const lines = alignTable(table);
  if (result.scanPackets !== null) lines.push('per packet (each packet takes its row\'s cluster); majority F1 = packets in clusters that are mostly scan; rating = seed 000\'s 0-10 rating by its centre rule');
  return [...lines, ...extra];
}

function alignTable(table: string[][]): string[] {
  const widths = table[0].map((_, j) => Math.max(...table.map((r) => (r[j] ?? '').length)));
  return table.map((row) => row.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]) : cell.padStart(widths[j]))).join('  ').trimEnd());
}
