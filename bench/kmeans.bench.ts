// k-means benchmark: scanlab's kmeans vs scikit-learn KMeans (n_init=1, the same initial centers,
// the same max_iter and tol, algorithm='lloyd') on the same synthetic Gaussian blobs.
// Run: node --import tsx bench/kmeans.bench.ts [--quick]
// Each side runs in its own process so peak RSS is its own; both hold the 8 x rows x 30 byte matrix.
// Writes the "## k-means" section of bench/RESULTS.md through results-file.ts, keeping other sections.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { initialCenters, KMEANS_DEFAULTS, meanVariance } from '../src/cluster/kmeans.ts';
import { lloyd, POOL_MIN_WORK } from '../src/cluster/lloyd.ts';
import { seededRandom } from '../src/util/seeded-random.ts';
import { RESULTS_PATH, writeResultsSection } from './results-file.ts';

const COLS = 30;
const SPREAD = 4; // blob standard deviation; centers uniform in [-10, 10]^30, so blobs overlap
const MAX_ITER = KMEANS_DEFAULTS.maxIterations;
const TOL = KMEANS_DEFAULTS.tolerance;
const PYTHON = '/usr/bin/python3';
const SELF = fileURLToPath(import.meta.url);

type Side = { ms: number; cpuMs: number; initMs?: number; maxRssMB: number; inertia: number; iterations: number };

function blobs(rows: number, blobCount: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centers = Float64Array.from({ length: blobCount * COLS }, () => random() * 20 - 10);
  const matrix = new Float64Array(rows * COLS);
  for (let i = 0; i < rows; i++) {
    const b = Math.floor(random() * blobCount);
    for (let c = 0; c < COLS; c++) matrix[i * COLS + c] = centers[b * COLS + c] + SPREAD * gauss();
  }
  return matrix;
}

/** Child: build the matrix, seed, cluster; write matrix and centers for python; print JSON. */
function child(rows: number, k: number, dir: string): void {
  const matrix = blobs(rows, k, 7);
  const t0 = performance.now();
  const init = initialCenters(matrix, rows, COLS, { k, seed: 1 });
  const t1 = performance.now();
  const cpu = process.cpuUsage();
  const result = lloyd(matrix, rows, COLS, init.centers, init.count, MAX_ITER, TOL * meanVariance(matrix, rows, COLS));
  const t2 = performance.now();
  writeFileSync(join(dir, 'matrix.f64'), new Uint8Array(matrix.buffer));
  writeFileSync(join(dir, 'centers.f64'), new Uint8Array(init.centers.buffer));
  const used = process.cpuUsage(cpu);
  const side: Side = { ms: t2 - t1, cpuMs: (used.user + used.system) / 1000, initMs: t1 - t0, maxRssMB: process.resourceUsage().maxRSS / 1024, inertia: result.inertia, iterations: result.iterations };
  process.stdout.write(JSON.stringify(side));
}

const SKLEARN = String.raw`
import json, resource, sys, time
import numpy as np
from sklearn.cluster import KMeans
d, rows, k, cols, max_iter, tol = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
X = np.fromfile(d + '/matrix.f64', dtype=np.float64).reshape(rows, cols)
C = np.fromfile(d + '/centers.f64', dtype=np.float64).reshape(-1, cols)
t = time.perf_counter()
r0 = resource.getrusage(resource.RUSAGE_SELF)
km = KMeans(n_clusters=C.shape[0], init=C, n_init=1, max_iter=max_iter, tol=tol, algorithm='lloyd').fit(X)
ms = (time.perf_counter() - t) * 1000
r1 = resource.getrusage(resource.RUSAGE_SELF)
cpu_ms = (r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000
print(json.dumps(dict(ms=ms, cpuMs=cpu_ms, maxRssMB=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, inertia=float(km.inertia_), iterations=int(km.n_iter_))))
`;

function run(command: string, args: string[]): Side {
  const out = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (out.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${out.stderr}`);
  return JSON.parse(out.stdout) as Side;
}

function main(): void {
  const quick = process.argv.includes('--quick');
  const cases = quick ? [[100_000, 5], [100_000, 23]] : [[100_000, 5], [100_000, 23], [1_000_000, 5], [1_000_000, 23]];
  const lines = [
    '## k-means',
    '',
    `scanlab \`kmeans\` (seeded greedy k-means++ on a 100,000-row sample, then Lloyd with Hamerly bounds and incremental center sums; per-center bounds and a 2nd thread when rows x k x cols >= ${POOL_MIN_WORK.toExponential(0)}) vs`,
    `scikit-learn KMeans (lloyd, n_init=1, the same initial centers, max_iter=${MAX_ITER}, tol=${TOL}; BLAS/OpenMP on all cores).`,
    `Gaussian blobs, ${COLS} columns, k blobs with sd ${SPREAD}. Lloyd time excludes seeding; seeding time shown apart. CPU s sums all threads (user + system).`,
    `Peak RSS includes the matrix (${COLS} x 8 bytes per row). Machine: ${availableParallelism()} cores (1-min load ${loadavg()[0].toFixed(1)} at start: other jobs share it, so times are noisy), node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
    '',
    '| rows | k | scanlab Lloyd s | sklearn Lloyd s | scanlab Lloyd CPU s | sklearn Lloyd CPU s | scanlab seeding s | scanlab iters | sklearn iters | scanlab peak RSS MB | sklearn peak RSS MB | inertia ratio (scanlab/sklearn) |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [rows, k] of cases) {
    const dir = mkdtempSync(join(tmpdir(), 'scanlab-kmeans-'));
    try {
      const ours = run(process.execPath, ['--import', 'tsx', SELF, '--child', String(rows), String(k), dir]);
      const theirs = existsSync(PYTHON) ? run(PYTHON, ['-c', SKLEARN, dir, String(rows), String(k), String(COLS), String(MAX_ITER), String(TOL)]) : null;
      const s = (ms: number | undefined) => (ms === undefined ? '-' : (ms / 1000).toFixed(2));
      lines.push(
        `| ${rows.toLocaleString('en-US')} | ${k} | ${s(ours.ms)} | ${theirs ? s(theirs.ms) : '-'} | ${s(ours.cpuMs)} | ${theirs ? s(theirs.cpuMs) : '-'} | ${s(ours.initMs)} | ${ours.iterations} | ${theirs?.iterations ?? '-'} | ${ours.maxRssMB.toFixed(0)} | ${theirs ? theirs.maxRssMB.toFixed(0) : '-'} | ${theirs ? (ours.inertia / theirs.inertia).toFixed(6) : '-'} |`,
      );
      process.stdout.write(`${lines[lines.length - 1]}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const body = lines.slice(2).join('\n');
  writeResultsSection('k-means', body);
  process.stdout.write(`\n${body}\nwritten to ${RESULTS_PATH}\n`);
}

const childAt = process.argv.indexOf('--child');
if (childAt >= 0) child(Number(process.argv[childAt + 1]), Number(process.argv[childAt + 2]), process.argv[childAt + 3]);
else main();
