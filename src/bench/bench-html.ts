// bench.html: a self-contained page with, per scenario, bar charts of mean scan F1 and ARI (whiskers
// from min to max over the repeats; false-positive share on a benign-only scenario) and the table.
// Inline SVG built from the numbers; no scripts, no external files.
import type { BenchReport } from './bench-report.ts';
import { formatLeaderboard, rankedCells } from './format-leaderboard.ts';
import type { BenchCell, BenchScenario } from './aggregate.ts';
import type { Spread } from './spread.ts';

export function benchHtml(report: BenchReport): string {
  const sections = report.scenarios.map((s) => section(s, rankedCells(s, report.cells))).join('\n');
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
<p>Scores are per packet (every packet weighs the same). Blue bars: k-means feature sets, a cluster counting as scan when most of its packets are scan; orange: baselines that do not cluster. Whiskers span min–max over the repeats.</p>
${sections}
<h2>Detectors</h2><ul>${report.detectors.map((d) => `<li><b>${esc(d.name)}</b> (${d.kind}): ${esc(d.description)}</li>`).join('')}</ul>
${report.failures.length ? `<h2>Runs not scored</h2><ul>${report.failures.map((f) => `<li>${esc(f.source)}: ${esc(f.message)}</li>`).join('')}</ul>` : ''}
</body></html>
`;
}

function section(scenario: BenchScenario, cells: BenchCell[]): string {
  const table = formatLeaderboard([scenario], cells, 'markdown').split('\n').filter((l) => l.startsWith('|') && !l.startsWith('|---'));
  const [head, ...rows] = table.map((l) => l.slice(2, -2).split(' | '));
  return `<h2>${esc(scenario.name)}</h2>
${scenario.benignOnly ? chart('false-positive share', cells, (c) => c.fpShare, true) : `${chart('scan F1', cells, (c) => c.scanF1, false)}${chart('ARI', cells, (c) => c.ari, false)}`}
<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>
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
