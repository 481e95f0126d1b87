// bench.html: a self-contained page. Detection first: per scenario, bar charts of mean F1 and
// ROC-AUC of the label-free detectors (whiskers from min to max over the repeats; false alarms per
// hour on a benign-only scenario) and the table; then separation, apart and unranked.
// Inline SVG built from the numbers; no scripts, no external files.
import type { BenchReport } from './bench-report.ts';
import { detectionTable } from './format-leaderboard.ts';
import type { BenchCell, BenchScenario, SeparationCell } from './aggregate.ts';
import type { Spread } from './spread.ts';

export function benchHtml(report: BenchReport): string {
  const sections = report.scenarios.map((s) => section(s, report.cells)).join('\n');
  const separation = report.scenarios.filter((s) => !s.benignOnly).map((s) => separationSection(s, report.separation)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>scanlab bench</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:70em;color:#222}
table{border-collapse:collapse;margin:.5em 0 2em}th,td{padding:.25em .6em;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}
th:nth-child(2),td:nth-child(2){text-align:left}code{background:#f4f4f4;padding:0 .3em}
.bar{fill:#4a7bd0}.base{fill:#d08a4a}.whisker{stroke:#222}text{font-size:12px}
</style></head><body>
<h1>scanlab bench</h1>
<p>${esc(report.finishedAt)} · <code>${esc(report.command)}</code> · ${report.runs.length} runs${report.repeat ? ` (${report.repeat} per scenario)` : ''} · seed ${report.seed}${report.revision ? ` · commit ${esc(report.revision.slice(0, 10))}` : ''} · Node ${esc(report.host.node)} on ${esc(report.host.cpu)} (${report.host.cpus} CPUs)${report.interrupted ? ' · <strong>interrupted: partial results</strong>' : ''}</p>
<h2>Detection</h2>
<p>No detector reads labels; each decides on the packets after the run's warm-up, which the learning ones train on. Scores are per judged packet; the base rate (scan share) stands beside precision. Blue bars: feature sets as novelty detectors and the seed's rule; orange: baselines that neither cluster nor learn. Whiskers span min–max over the repeats.</p>
${sections}
<h2>Separation (not detection)</h2>
<p>k-means on every row; the labels name the scan clusters (majority rule), so these scores say how well a clustering splits the traffic, not how well it would detect. Not ranked.</p>
${separation}
<h2>Detectors</h2><ul>${Object.entries(report.detectors).map(([name, d]) => `<li><b>${esc(name)}</b> (${d.kind}): ${esc(d.description)}</li>`).join('')}</ul>
${detectorFailures(report)}
${report.failures.length ? `<h2>Runs not scored</h2><ul>${report.failures.map((f) => `<li>${esc(f.source)}: ${esc(f.message)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}

/** External detectors' failed runs: left out of their scores, listed here with why. */
function detectorFailures(report: BenchReport): string {
  const items = report.runs.flatMap((run) => Object.entries(run.detectors).flatMap(([name, d]) => (d.failed ? [`<li><b>${esc(name)}</b> on ${esc(run.source)}: ${esc(d.failed.reason)}${d.failed.stderrTail ? `<pre>${esc(d.failed.stderrTail.split('\n').slice(-8).join('\n'))}</pre>` : ''}</li>`] : [])));
  return items.length ? `<h2>Detector runs that failed</h2><p>Not scored: these runs are left out of those detectors' scores.</p><ul>${items.join('')}</ul>` : '';
}

function section(scenario: BenchScenario, all: readonly BenchCell[]): string {
  const { title, header, body, ranked: cells } = detectionTable(scenario, all);
  return `<h3>${esc(title)}</h3>
${scenario.benignOnly ? chart('false alarms per hour', cells, (c) => c.falseAlarmsPerHour, true) : `${chart('F1', cells, (c) => c.f1, false)}${chart('ROC-AUC', cells, (c) => c.rocAuc, false)}`}
${htmlTable(header, body)}`;
}

function separationSection(scenario: BenchScenario, cells: readonly SeparationCell[]): string {
  const mine = cells.filter((c) => c.scenario === scenario.name);
  const f = (s: Spread) => (Number.isFinite(s.mean) ? `${s.mean.toFixed(3)} ± ${s.std.toFixed(3)}` : '–');
  return `<h3>${esc(scenario.name)}</h3>${htmlTable(['feature set', 'ARI', 'NMI', 'V-measure', 'majority-rule F1'], mine.map((c) => [c.featureSet, f(c.ari), f(c.nmi), f(c.vMeasure), f(c.majorityF1)]))}`;
}

function htmlTable(header: string[], rows: string[][]): string {
  return `<table><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>
${rows.map((r) => `<tr>${r.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('\n')}</table>`;
}

/** Horizontal bars of one score's mean with a min–max whisker; the axis runs 0..1 (or 0..max for shares). */
function chart(title: string, cells: BenchCell[], pick: (c: BenchCell) => Spread, share: boolean): string {
  const label = 100;
  const width = 260;
  const row = 22;
  const height = cells.length * row + 40;
  const max = share ? Math.max(0.01, ...cells.map((c) => (Number.isFinite(pick(c).max) ? pick(c).max : 0))) : 1;
  const x = (v: number) => label + (Number.isFinite(v) ? (Math.min(Math.max(v, 0), max) / max) * width : 0);
  const bars = cells.map((c, i) => {
    const s = pick(c);
    const y = i * row + 22;
    return `<text x="${label - 6}" y="${y + 13}" text-anchor="end">${esc(c.detector)}</text>
<rect class="${c.kind === 'baseline' ? 'base' : 'bar'}" x="${label}" y="${y}" width="${(x(s.mean) - label).toFixed(1)}" height="${row - 6}"/>
<line class="whisker" x1="${x(s.min).toFixed(1)}" x2="${x(s.max).toFixed(1)}" y1="${y + 8}" y2="${y + 8}"/>
<text x="${(x(Math.max(s.mean, s.max)) + 6).toFixed(1)}" y="${y + 13}">${Number.isFinite(s.mean) ? s.mean.toFixed(3) : '–'}</text>`;
  });
  const axis = `<text x="${label}" y="14" font-weight="bold">${esc(title)}</text><text x="${label}" y="${height - 4}">0</text><text x="${label + width}" y="${height - 4}" text-anchor="end">${share ? max.toFixed(3) : '1'}</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${label + width + 50}" height="${height}" role="img" aria-label="${esc(title)} per detector">${bars.join('')}${axis}</svg>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
}
