// Analysis throughput and memory: scanlab (decode -> features -> k-means -> scores) beside the
// reference pipeline a data scientist would run (tshark field export -> pandas -> scikit-learn)
// on the same >= 1,000,000-packet capture, each in its own process. Writes "## Analysis" into
// bench/RESULTS.md. Run: node --import tsx bench/analysis.bench.ts [repeat=14] [dir]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSyntheticLab } from '../test/fixtures/synthetic-lab.ts';
import { writeResultsSection } from './results-file.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const repeat = Number(process.argv[2] ?? 14);
const dir = process.argv[3] ?? '/tmp/scanlab-bench-analysis';
mkdirSync(dir, { recursive: true });
const pcap = join(dir, `lab-x${repeat}.pcap`);
const labels = join(dir, `lab-x${repeat}.labels.csv`);
if (!existsSync(pcap) || !existsSync(labels)) {
  const made = writeSyntheticLab(pcap, { seconds: 90, seed: 7, repeat, labelsPath: labels });
  process.stderr.write(`made ${pcap}: ${made.packets} packets, ${made.scanPackets} scan\n`);
}

function runJson(cmd: string, args: string[]): Record<string, any> {
  const started = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
  out.wallMs = performance.now() - started;
  return out;
}

process.stderr.write('scanlab...\n');
const ours = runJson(process.execPath, ['--import', 'tsx', join(here, 'analysis-worker.ts'), pcap, labels, '1']);
process.stderr.write('reference (tshark, pandas, scikit-learn)...\n');
const ref = runJson('/usr/bin/python3', [join(here, 'reference-pipeline.py'), pcap, labels, join(dir, 'fields.tsv')]);

const n = ours.packets as number;
const rate = (ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-US');
const s = (ms: number) => (ms / 1000).toFixed(2);
const names = Object.keys(ours.featureSets);
const rows: string[] = [];
const line = (stage: string, a: number, b: number) => rows.push(`| ${stage} | ${s(a)} | ${rate(a)} | ${s(b)} | ${rate(b)} | ${(b / a).toFixed(1)}x |`);
line('decode (scanlab) / tshark export + pandas load', ours.decodeMs + ours.labelsMs, ref.tsharkMs + ref.loadMs);
for (const name of names) {
  const a = ours.featureSets[name];
  const b = ref.featureSets[name];
  line(`${name}: features`, a.featuresMs, b.featuresMs);
  line(`${name}: k-means (k=${a.k}, ${a.rows.toLocaleString('en-US')} x ${a.cols})`, a.kmeansMs, b.kmeansMs);
  line(`${name}: scores`, a.scoreMs, b.scoreMs);
}
line('**end to end**', ours.totalMs, ref.totalMs);

const f = (v: number) => v.toFixed(3);
const quality = names.map((name) => {
  const a = ours.featureSets[name];
  const b = ref.featureSets[name];
  return `| ${name} | ${a.rows.toLocaleString('en-US')} | ${b.rows.toLocaleString('en-US')} | ${(a.inertia / b.inertia).toFixed(4)} | ${f(a.metricsByPackets.ari)} | ${f(b.metricsByPackets.ari)} | ${f(a.metricsByPackets.scanF1)} | ${f(b.metricsByPackets.scanF1)} | ${f(a.metrics.scanF1)} | ${f(b.metrics.scanF1)} |`;
});

const body = `
Synthetic victim capture (\`test/fixtures/synthetic-lab.ts\`: web over HTTP and TLS, DNS, bulk download, UDP stream, SSH,
ARP, NTP; one attacker's SYN, connect, UDP, version and OS-detection steps), 90 s repeated ${repeat} times with shifted
times: **${n.toLocaleString('en-US')} packets**, ${(statSync(pcap).size / 1e6).toFixed(0)} MB.
scanlab: \`bench/analysis-worker.ts\` (decode to columns, the three feature sets, seeded k-means, sklearn-exact scores).
Reference: \`bench/reference-pipeline.py\`, what a data scientist would run: \`tshark -T fields\` export, pandas
(\`test/features/reference/features.py\`, the same feature definitions, vectorized), scikit-learn \`KMeans(init='k-means++',
n_init=1)\`, \`sklearn.metrics\`. Same k per set. Each side in its own process; one run each.
Reproduce: \`node --import tsx bench/analysis.bench.ts ${repeat}\`. Machine: ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.

| stage | scanlab s | scanlab packets/s | reference s | reference packets/s | speed-up |
|---|---:|---:|---:|---:|---:|
${rows.join('\n')}

Peak RSS: scanlab **${ours.peakRssMb.toFixed(0)} MB** (one process, everything). Reference: Python ${ref.peakRssMb.toFixed(0)} MB, tshark ${ref.tsharkPeakRssMb.toFixed(0)} MB.

Same rows, same clustering quality (packet-weighted ARI and scan F1; per-row scan F1; inertia ratio scanlab/sklearn on the
same feature matrix, each with its own seeded k-means++ start):

| feature set | scanlab rows | reference rows | inertia ratio | ARI (scanlab) | ARI (sklearn) | scan F1 by packets (scanlab) | (sklearn) | scan F1 by rows (scanlab) | (sklearn) |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${quality.join('\n')}
`;
writeResultsSection('Analysis', body);
process.stdout.write(body);
