// k-means on the analysis benchmark's own feature matrices: scanlab's `kmeans` vs scikit-learn
// `KMeans(init='k-means++', n_init=1)`, each seeding itself, on the very same matrices (the three
// feature sets built from the >= 1,000,000-packet capture of bench/analysis-capture.ts).
// Run: node --import tsx bench/kmeans-features.bench.ts [seeds=40]
//
// Each side, for each seed, is one fresh process that loads the matrices and clusters them in the
// analysis order (sds-window, kaggle-flow, host-window), one fit each, as `scanlab analyze` and the
// reference pipeline do: so start-up costs (V8 compiling, first touch of memory) count as they do
// for a user. Iterations differ between seeds, so the table gives the median and the range.
// Inertia varies by several percent from seed to seed (as it does between two seeds of one
// library), so the matrices under 100,000 rows get QUALITY_SEEDS more fits per side, in one
// process each, for the inertia ratio alone.
// Writes the "## k-means on the analysis feature matrices" section of bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { decodeCapture } from '../src/capture/decode/decode-capture.ts';
import { kmeans } from '../src/cluster/kmeans.ts';
import { FEATURE_SETS } from '../src/features/registry.ts';
import { buildFeatures } from '../src/features/feature-set.ts';
import { benchCapture } from './analysis-capture.ts';
import { writeResultsSection } from './results-file.ts';

const PYTHON = '/usr/bin/python3';
const SELF = fileURLToPath(import.meta.url);
const TITLE = 'k-means on the analysis feature matrices';

type Matrix = { name: string; rows: number; cols: number; k: number };
type Fit = { name: string; ms: number; iterations: number; inertia: number };
const QUALITY_SEEDS = 400;
const QUALITY_MAX_ROWS = 100_000;

/** Child: load the matrices (all, or those named), fit each with seeds from..to, print the fits as JSON. */
function child(dir: string, from: number, to: number, only: string[]): void {
  const all = JSON.parse(readFileSync(join(dir, 'matrices.json'), 'utf8')) as Matrix[];
  const matrices = all.filter((m) => only.length === 0 || only.includes(m.name)).map((m) => {
    // A Float64Array of its own, as a feature set builds it (a view into the file's Buffer made
    // k-means++ 2x slower here).
    const bytes = readFileSync(join(dir, `${m.name}.f64`));
    const matrix = new Float64Array(m.rows * m.cols);
    matrix.set(new Float64Array(bytes.buffer, bytes.byteOffset, m.rows * m.cols));
    return { ...m, matrix };
  });
  const fits: Fit[] = [];
  for (let seed = from; seed <= to; seed++) {
    for (const m of matrices) {
      const t0 = performance.now();
      const r = kmeans(m.matrix, m.rows, m.cols, { k: m.k, seed });
      fits.push({ name: m.name, ms: performance.now() - t0, iterations: r.iterations, inertia: r.inertia });
    }
  }
  process.stdout.write(JSON.stringify(fits));
}

const SKLEARN = String.raw`
import json, sys, time
import numpy as np
from sklearn.cluster import KMeans
d, first, last, only = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
matrices = [m for m in json.load(open(d + '/matrices.json')) if not only or m['name'] in only]
data = {m['name']: np.fromfile(d + '/' + m['name'] + '.f64', dtype=np.float64).reshape(m['rows'], m['cols']) for m in matrices}
fits = []
for seed in range(first, last + 1):
    for m in matrices:
        t = time.perf_counter()
        km = KMeans(n_clusters=m['k'], init='k-means++', n_init=1, random_state=seed).fit(data[m['name']])
        fits.append(dict(name=m['name'], ms=(time.perf_counter() - t) * 1000, iterations=int(km.n_iter_), inertia=float(km.inertia_)))
print(json.dumps(fits))
`;

function run(command: string, args: string[]): Fit[] {
  const out = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${out.stderr}`);
  return JSON.parse(out.stdout) as Fit[];
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function main(): void {
  const seeds = Number(process.argv[2] ?? 40);
  const { pcap } = benchCapture();
  const dir = mkdtempSync(join(tmpdir(), 'scanlab-kmeans-features-'));
  try {
    const decoded = decodeCapture(pcap);
    const matrices: Matrix[] = FEATURE_SETS.map((set) => {
      const f = buildFeatures(set, decoded);
      writeFileSync(join(dir, `${set.name}.f64`), new Uint8Array(f.matrix.buffer, f.matrix.byteOffset, f.rows * f.cols * 8));
      return { name: set.name, rows: f.rows, cols: f.cols, k: set.defaultK };
    });
    writeFileSync(join(dir, 'matrices.json'), JSON.stringify(matrices));

    const ours: Fit[][] = [];
    const theirs: Fit[][] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      // Alternate the sides so a change in machine load falls on both.
      ours.push(run(process.execPath, ['--import', 'tsx', SELF, '--child', dir, String(seed), String(seed)]));
      theirs.push(run(PYTHON, ['-c', SKLEARN, dir, String(seed), String(seed)]));
      process.stderr.write(`seed ${seed}/${seeds}\n`);
    }
    // Inertia over many seeds for the small matrices (one process per side, times not used).
    const small = matrices.filter((m) => m.rows < QUALITY_MAX_ROWS).map((m) => m.name);
    process.stderr.write(`inertia over ${QUALITY_SEEDS} seeds: ${small.join(', ')}\n`);
    const oursMany = run(process.execPath, ['--import', 'tsx', SELF, '--child', dir, '1', String(QUALITY_SEEDS), ...small]);
    const theirsMany = run(PYTHON, ['-c', SKLEARN, dir, '1', String(QUALITY_SEEDS), ...small]);

    const s = (ms: number) => ms.toFixed(1);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const lines = matrices.map((m, i) => {
      const a = ours.map((fits) => fits[i]);
      const b = theirs.map((fits) => fits[i]);
      const msA = a.map((f) => f.ms);
      const msB = b.map((f) => f.ms);
      const many = small.includes(m.name);
      const inertiaOf = (fits: Fit[]) => mean(fits.map((f) => f.inertia));
      const inertia = many
        ? inertiaOf(oursMany.filter((f) => f.name === m.name)) / inertiaOf(theirsMany.filter((f) => f.name === m.name))
        : inertiaOf(a) / inertiaOf(b);
      const inertiaSeeds = many ? QUALITY_SEEDS : seeds;
      return `| ${m.name} | ${m.rows.toLocaleString('en-US')} x ${m.cols} | ${m.k} | **${s(median(msA))}** (${s(Math.min(...msA))}-${s(Math.max(...msA))}) | **${s(median(msB))}** (${s(Math.min(...msB))}-${s(Math.max(...msB))}) | ${(median(msB) / median(msA)).toFixed(2)}x | ${median(a.map((f) => f.iterations))} | ${median(b.map((f) => f.iterations))} | ${inertia.toFixed(4)} (${inertiaSeeds}) |`;
    });
    const body = [
      `The matrices \`scanlab analyze\` clusters in the analysis benchmark (its ${decoded.packets.toLocaleString('en-US')}-packet capture), written to disk once;`,
      `then, for each of ${seeds} seeds, scanlab \`kmeans\` (seeded k-means++ on at most 100,000 rows, then Lloyd) and scikit-learn`,
      "`KMeans(init='k-means++', n_init=1, random_state=seed)` (Lloyd, BLAS/OpenMP on all cores) each in a fresh process, clustering",
      'the three matrices in the analysis order, one fit each. Times are the fit alone (seeding included), median over seeds',
      '(min-max), in milliseconds. Inertia ratio: mean inertia over the seeds in brackets, scanlab / scikit-learn (below 1:',
      `scanlab's clusters are tighter); single seeds differ by several percent either way, as two seeds of one library do,`,
      `so the matrices under ${QUALITY_MAX_ROWS.toLocaleString('en-US')} rows are also fitted with seeds 1-${QUALITY_SEEDS} (one process per side) for that ratio.`,
      `Reproduce: \`node --import tsx bench/kmeans-features.bench.ts ${seeds}\`. Machine: ${availableParallelism()} cores, 1-min load ${loadavg()[0].toFixed(1)} at the end, node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
      '',
      '| feature set | rows x cols | k | scanlab ms | scikit-learn ms | speed-up | scanlab iterations (median) | sklearn iterations (median) | inertia ratio (seeds) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...lines,
    ].join('\n');
    writeResultsSection(TITLE, body);
    process.stdout.write(`${body}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) child(process.argv[childAt + 1], Number(process.argv[childAt + 2]), Number(process.argv[childAt + 3]), process.argv.slice(childAt + 4));
else main();
