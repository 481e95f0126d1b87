// Runtime of the label-free novelty detectors (src/detect/novelty.ts) beside scikit-learn doing the
// same fit and scoring on the same raw feature matrices, on the analysis bench's >= 1,000,000-packet
// capture, its first fifth as the training part. scanlab's time is split into building the raw
// rows (which scikit-learn is handed ready) and fitting + scoring, each timed on its own. Writes "## Detection" into
// bench/RESULTS.md. Run: node --import tsx bench/detect.bench.ts [repeat=14] [dir]
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeCapture } from '../src/capture/decode/decode-capture.ts';
import { FEATURE_SETS } from '../src/features/registry.ts';
import { detectNovelty, fitModel, NOVELTY, scoreRows } from '../src/detect/novelty.ts';
import { BENCH_CAPTURE_DIR, BENCH_CAPTURE_REPEAT, benchCapture } from './analysis-capture.ts';
import { writeResultsSection } from './results-file.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const loadAtStart = loadavg()[0];
const repeat = Number(process.argv[2] ?? BENCH_CAPTURE_REPEAT);
const dir = process.argv[3] ?? BENCH_CAPTURE_DIR;
const { pcap } = benchCapture(repeat, dir);
const decoded = decodeCapture(pcap);
const until = decoded.columns.time[decoded.packets - 1] / 5;
const training = { source: 'train-until' as const, untilSeconds: until, capture: null, capturePath: null };
const RUNS = 3;
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

const lines: string[] = [];
for (const set of FEATURE_SETS) {
  const buildMs: number[] = [];
  const fitScoreMs: number[] = [];
  // The same raw rows and training rows for scikit-learn, the ones detectNovelty builds.
  let raw = set.buildRaw(decoded);
  const last = new Float64Array(raw.rows).fill(-Infinity);
  for (let i = 0; i < decoded.packets; i++) if (raw.rowOfPacket[i] >= 0) last[raw.rowOfPacket[i]] = Math.max(last[raw.rowOfPacket[i]], decoded.columns.time[i]);
  const train = Int32Array.from([...last.keys()].filter((r) => last[r] < until));
  const isTraining = new Uint8Array(raw.rows);
  for (const r of train) isTraining[r] = 1;
  let flagged = 0;
  let k = 0;
  for (let r = 0; r < RUNS; r++) {
    // Each phase timed on its own (the difference of two noisy totals went below zero on a busy machine).
    const t0 = performance.now();
    raw = set.buildRaw(decoded);
    buildMs.push(performance.now() - t0);
    const t1 = performance.now();
    const model = fitModel(raw.matrix, raw.cols, raw.scaling, train, set.defaultK, 1);
    const scores = scoreRows(raw.matrix, raw.rows, raw.cols, model);
    fitScoreMs.push(performance.now() - t1);
    flagged = 0;
    for (let row = 0; row < raw.rows; row++) if (!isTraining[row] && scores[row] > NOVELTY.THRESHOLD) flagged++;
    k = model.k;
  }
  // detectNovelty itself, once: it must decide as the timed parts did.
  const d = detectNovelty(set, { decoded, training, seed: 1 });
  if (d.rows!.flagged.reduce((s, v) => s + v, 0) !== flagged) throw new Error(`${set.name}: detectNovelty flagged other rows than its fit + score timed here`);
  const base = join(dir, `novelty-${set.name}`);
  writeFileSync(`${base}.f64`, new Uint8Array(raw.matrix.buffer, raw.matrix.byteOffset, raw.matrix.byteLength));
  writeFileSync(`${base}.train.i32`, new Uint8Array(train.buffer));
  writeFileSync(`${base}.json`, JSON.stringify({
    matrix: `${base}.f64`, train: `${base}.train.i32`, rows: raw.rows, cols: raw.cols, scaling: raw.scaling, defaultK: set.defaultK,
    rowsPerCluster: NOVELTY.ROWS_PER_CLUSTER, minScale: NOVELTY.MIN_SCALE, minRadius: NOVELTY.MIN_RADIUS, radiusQuantile: NOVELTY.RADIUS_QUANTILE, threshold: NOVELTY.THRESHOLD,
  }));
  const refs = Array.from({ length: RUNS }, () => {
    const p = spawnSync('/usr/bin/python3', [join(here, 'reference-novelty.py'), `${base}.json`], { encoding: 'utf8' });
    if (p.status !== 0) throw new Error(p.stderr);
    return JSON.parse(p.stdout.trim()) as { fitMs: number; scoreMs: number; k: number; flagged: number };
  });
  const ours = median(fitScoreMs);
  const ref = median(refs.map((x) => x.fitMs + x.scoreMs));
  lines.push(`| ${set.name} | ${raw.rows.toLocaleString('en-US')} | ${train.length.toLocaleString('en-US')} | k=${k} / ${refs[0].k} | ${median(buildMs).toFixed(0)} | ${ours.toFixed(0)} | ${ref.toFixed(0)} | ${flagged} / ${refs[0].flagged} |`);
  process.stderr.write(`${lines.at(-1)}\n`);
}

writeResultsSection('Detection', `Measured ${new Date().toISOString().slice(0, 10)} with \`node --import tsx bench/detect.bench.ts\` on ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'} (load ${loadAtStart.toFixed(2)} at start), Node ${process.version}: the novelty detectors on the analysis bench's capture (${decoded.packets.toLocaleString('en-US')} packets), trained on its first ${until.toFixed(0)} s. scanlab's fit + score (scaler and k-means on the training rows, every row scored) beside scikit-learn's StandardScaler/MinMaxScaler + KMeans (n_init=1) + KMeans.transform doing the same on the same raw rows, each the median of ${RUNS} runs in its own process. Building the raw rows is scanlab's own work (scikit-learn is handed them). k and the flagged row counts differ only where the two k-means++ seedings pick different centres.

| feature set | rows | training rows | k (scanlab / sklearn) | build rows ms | scanlab fit + score ms | scikit-learn fit + score ms | rows flagged (scanlab / sklearn) |
|---|---:|---:|---:|---:|---:|---:|---:|
${lines.join('\n')}
`);
