// report.html as one self-contained file: the page, its style, ECharts (inlined from the echarts
// package's dist build), the report's data as JSON and the script that draws the charts.
// Opens offline: nothing is fetched.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ReportData } from './report-data.ts';

const require = createRequire(import.meta.url);
let echartsSource: string | undefined;
let clientSource: string | undefined;

function echarts(): string {
  echartsSource ??= readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
  return echartsSource;
}

function client(): string {
  clientSource ??= readFileSync(new URL('./report-client.js', import.meta.url), 'utf8');
  return clientSource;
}

/** Text safe inside <script>: no "</script" or "<!--" can end or confuse it. */
export function scriptSafe(text: string): string {
  return text.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);
}

export function renderReportHtml(data: ReportData): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>${escapeHtml(data.title)}</h1>
  <p class="sub" id="sub"></p>
  <div class="cards" id="cards"></div>
</header>
<main>
  <div class="part"><h2>Detection</h2><p>No detector reads labels: each decides from the traffic alone, learning detectors from the attack-free training part. The labels only score the decisions, per packet, on the packets after the training part.</p></div>
  <section><h2>Scores per detector</h2><p class="hint" id="detection-hint"></p><div id="detection"></div></section>
  <section><h2>Timeline of packets</h2><p class="hint" id="timeline-hint"></p><div class="two"><div><h3>by label</h3><div class="chart" id="timeline-label"></div></div><div><h3 id="timeline-flagged-title">flagged by a detector</h3><div class="chart" id="timeline-flagged"></div></div></div></section>
  <div class="part"><h2>Separation</h2><p>How well each feature set's k-means clustering (on every row) splits scan from benign traffic when the labels name the scan clusters: not a detection score, and not ranked beside detection.</p></div>
  <section><h2>Scores per feature set</h2><p class="hint">Per packet: each packet takes its row's cluster and keeps its own label; majority-rule F1 calls a cluster scan when most of its packets are scan (the labels pick). Per-row figures in brackets. Rating: seed 000's 0-10 rating by its centre rule.</p><div id="scores"></div></section>
  <section><h2>Timeline by cluster <select id="timeline-set"></select></h2><div class="chart" id="timeline-cluster"></div></section>
  <section><h2>PCA projection of each feature set</h2><p class="hint">Each row of the feature set projected on its first two principal components.</p><div id="pca"></div></section>
  <section><h2>Clusters × labels</h2><p class="hint">Packets per cluster and label; clusters ordered by size.</p><div id="confusion"></div></section>
  <div class="part"><h2>Traffic</h2></div>
  <section class="two"><div><h2>Packet sizes</h2><div class="chart" id="sizes"></div></div><div><h2>Packets over time</h2><div class="chart" id="counts"></div></div></section>
  <section class="two"><div><h2>Top talkers</h2><div class="chart" id="talkers" style="height:420px"></div></div><div><h2>Hosts: who talks to whom</h2><div class="chart" id="graph" style="height:420px"></div></div></section>
  <section><h2>In and out degree of hosts</h2><div id="degree"></div></section>
  <section id="notes-section"><h2>Notes</h2><ul id="notes"></ul></section>
</main>
<footer>Written by scanlab from ${escapeHtml(data.runDir)} on ${escapeHtml(data.generated)}. Charts by Apache ECharts.</footer>
<script>${scriptSafe(echarts())}</script>
<script id="report-data" type="application/json">${json}</script>
<script>${scriptSafe(client())}</script>
</body>
</html>
`;
}

const STYLE = `
:root { --scan: #d62728; --benign: #2ca02c; --fg: #1d2430; --muted: #687385; --line: #e3e7ee; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: #f6f7f9; }
header { padding: 24px 32px 8px; background: #fff; border-bottom: 1px solid var(--line); }
h1 { margin: 0 0 4px; font-size: 22px; }
h2 { font-size: 16px; margin: 0 0 6px; }
h3 { font-size: 13px; margin: 4px 0; color: var(--muted); font-weight: 600; }
.sub { margin: 0 0 12px; color: var(--muted); }
.cards { display: flex; gap: 12px; flex-wrap: wrap; }
.card { background: #f6f7f9; border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 120px; }
.card b { display: block; font-size: 20px; }
.card span { color: var(--muted); font-size: 12px; }
.card.scan b { color: var(--scan); } .card.benign b { color: var(--benign); } .card.bad b { color: var(--scan); }
main { padding: 16px 32px; display: flex; flex-direction: column; gap: 16px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 16px; }
section.two, .two { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
section.two > div { min-width: 0; }
.chart { height: 320px; width: 100%; }
.chart.small { height: 280px; }
.hint { color: var(--muted); margin: 0 0 8px; font-size: 12px; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
td.good { color: #1a7f37; font-weight: 600; } td.mid { color: #9a6700; font-weight: 600; } td.poor { color: var(--scan); font-weight: 600; }
td small { color: var(--muted); } .miss { color: var(--scan); font-weight: 600; }
.grid3 { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 16px; }
select { font: inherit; font-size: 12px; }
.part { padding: 8px 4px 0; border-bottom: 2px solid var(--fg); }
.part h2 { font-size: 19px; margin: 0 0 2px; }
.part p { margin: 0 0 8px; color: var(--muted); }
table.detection tr.detector td:nth-child(-n+2), td.ttd { white-space: nowrap; }
td.rule { text-align: left; color: var(--muted); font-size: 12px; padding-top: 0; }
td.rule b { color: var(--fg); font-weight: 600; }
footer { padding: 8px 32px 24px; color: var(--muted); font-size: 12px; }
`;
