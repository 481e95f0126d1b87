import { kmeans as mlKmeans } from 'ml-kmeans';
import { describe, expect, test } from 'vitest';

import { initialCenters, kmeans } from '../../src/cluster/kmeans.ts';
import { kmeansPlusPlus } from '../../src/cluster/kmeans-plus-plus.ts';
import { seededRandom } from '../../src/util/seeded-random.ts';
import { lloyd } from '../../src/cluster/lloyd.ts';
import { fixtureRandom, hasSklearn, runPython } from '../score/sklearn-oracle.ts';

type Blobs = { name: string; rows: number; cols: number; k: number; matrix: Float64Array };

function blobs(name: string, seed: number, rows: number, cols: number, k: number, spread: number): Blobs {
  const random = fixtureRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centers = Array.from({ length: k * cols }, () => random() * 20 - 10);
  const matrix = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const b = Math.floor(random() * k);
    for (let c = 0; c < cols; c++) matrix[i * cols + c] = centers[b * cols + c] + spread * gauss();
  }
  return { name, rows, cols, k, matrix };
}

const fixtures = [
  blobs('separated blobs 3000x5, k=4', 1, 3000, 5, 4, 1),
  blobs('overlapping blobs 2000x3, k=6', 2, 2000, 3, 6, 4),
  blobs('overlapping blobs 4000x30, k=23', 3, 4000, 30, 23, 4),
];

// sklearn from our seeded centers (same Lloyd fixed point expected), and its best of 10 k-means++ runs.
const ORACLE = String.raw`
import json, sys
import numpy as np
from sklearn.cluster import KMeans
out = []
for f in json.load(sys.stdin):
    X = np.asarray(f['matrix'], dtype=np.float64).reshape(f['rows'], f['cols'])
    C = np.asarray(f['init'], dtype=np.float64).reshape(-1, f['cols'])
    same = KMeans(n_clusters=C.shape[0], init=C, n_init=1, max_iter=300, tol=1e-4, algorithm='lloyd').fit(X)
    best = KMeans(n_clusters=f['k'], init='k-means++', n_init=10, random_state=0).fit(X)
    out.append(dict(sameInertia=float(same.inertia_), sameIterations=int(same.n_iter_), bestInertia=float(best.inertia_)))
print(json.dumps(out))
`;

describe.runIf(hasSklearn)('kmeans against scikit-learn KMeans', () => {
  const expected = hasSklearn
    ? runPython<{ sameInertia: number; sameIterations: number; bestInertia: number }[]>(
        ORACLE,
        fixtures.map((f) => ({ ...f, matrix: [...f.matrix], init: [...initialCenters(f.matrix, f.rows, f.cols, { k: f.k, seed: 42 }).centers] })),
      )
    : [];

  test.each(fixtures.map((f, i) => [f.name, i] as const))('%s: same seeding gives sklearn\'s inertia, within 1 percent of its best of 10', (_name, i) => {
    // Given a matrix and sklearn's results
    const f = fixtures[i];
    // When scanlab clusters it with the seed whose centers sklearn started from
    const result = kmeans(f.matrix, f.rows, f.cols, { k: f.k, seed: 42 });
    // Then Lloyd lands where sklearn's Lloyd lands, and is no worse than 1% above sklearn's best
    expect(result.k).toBe(f.k);
    expect(result.inertia / expected[i].sameInertia).toBeCloseTo(1, 9);
    expect(result.iterations).toBe(expected[i].sameIterations);
    expect(result.inertia).toBeLessThanOrEqual(expected[i].bestInertia * 1.01);
  });
});

describe('kmeans', () => {
  const f = fixtures[1];

  test('same data and seed give identical results; another seed still gives a valid clustering', () => {
    const a = kmeans(f.matrix, f.rows, f.cols, { k: 6, seed: 7 });
    const b = kmeans(f.matrix, f.rows, f.cols, { k: 6, seed: 7 });
    const c = kmeans(f.matrix, f.rows, f.cols, { k: 6, seed: 8 });
    expect(b).toEqual(a);
    expect(c.k).toBe(6);
    expect(Number.isFinite(c.inertia)).toBe(true);
  });

  test('Lloyd with Hamerly bounds matches ml-kmeans from the same centers', () => {
    // Given the same initial centers; tolerance 0 makes both run to a fixed point
    const init = initialCenters(f.matrix, f.rows, f.cols, { k: 6, seed: 3 });
    const ours = lloyd(f.matrix, f.rows, f.cols, init.centers, init.count, 1000, 0);
    const data = Array.from({ length: f.rows }, (_, i) => [...f.matrix.subarray(i * f.cols, (i + 1) * f.cols)]);
    const centers = Array.from({ length: init.count }, (_, j) => [...init.centers.subarray(j * f.cols, (j + 1) * f.cols)]);
    const theirs = mlKmeans(data, init.count, { initialization: centers, maxIterations: 1000, tolerance: 0 });
    // Then both assign every row alike and agree on the centers
    expect([...ours.assignments]).toEqual(theirs.clusters);
    theirs.centroids.flat().forEach((v, j) => expect(ours.centers[j]).toBeCloseTo(v, 9));
  });

  test.each([
    ['overlapping blobs 2000x3', fixtures[1], 6],
    ['overlapping blobs 4000x30', fixtures[2], 23],
    ['separated blobs 3000x5, with a sample index', fixtures[0], 4],
  ] as const)('k-means++ skipping rows by the triangle inequality picks the centers measuring every row does: %s', (_name, g, k) => {
    // Given the greedy k-means++ of sklearn written plainly: every row measured against every candidate
    const plain = (random: () => number, only: Int32Array) => {
      const rows = only.length;
      const row = (i: number) => g.matrix.subarray(only[i] * g.cols, only[i] * g.cols + g.cols);
      const dist = (a: Float64Array, b: Float64Array) => a.reduce((t, v, c) => t + (v - b[c]) ** 2, 0);
      const trials = 2 + Math.floor(Math.log(k));
      const centers = [row(Math.min(rows - 1, Math.floor(random() * rows)))];
      let closest = Array.from({ length: rows }, (_, i) => dist(row(i), centers[0]));
      while (centers.length < k) {
        const cumulative: number[] = [];
        closest.reduce((t, v) => (cumulative.push(t + v), t + v), 0);
        const total = cumulative[rows - 1];
        let bestDist: number[] = [];
        let bestPot = Infinity;
        let bestRow = -1;
        for (let t = 0; t < trials; t++) {
          const target = (1 - random()) * total;
          const pick = Math.min(rows - 1, cumulative.findIndex((v) => v >= target));
          const d = closest.map((own, i) => Math.min(own, dist(row(i), row(pick))));
          const pot = d.reduce((a, b) => a + b, 0);
          if (pot < bestPot) [bestPot, bestDist, bestRow] = [pot, d, pick];
        }
        centers.push(row(bestRow));
        closest = bestDist;
      }
      return centers.flatMap((c) => [...c]);
    };
    // When both seed from the same stream, over all rows and over a sample's rows
    const all = Int32Array.from({ length: g.rows }, (_, i) => i);
    const sample = all.filter((i) => i % 3 !== 1);
    for (const only of [all, sample]) {
      const ours = kmeansPlusPlus(g.matrix, g.rows, g.cols, k, seededRandom(4), only === all ? undefined : only);
      // Then they choose the same rows, in the same order
      expect(ours.count).toBe(k);
      expect([...ours.centers]).toEqual(plain(seededRandom(4), only));
    }
  });

  test('seeding from a sample when rows > sampleForInit stays deterministic and sound', () => {
    const g = fixtures[0];
    const a = kmeans(g.matrix, g.rows, g.cols, { k: 4, seed: 5, sampleForInit: 500 });
    const full = kmeans(g.matrix, g.rows, g.cols, { k: 4, seed: 5, sampleForInit: Infinity });
    expect(kmeans(g.matrix, g.rows, g.cols, { k: 4, seed: 5, sampleForInit: 500 })).toEqual(a);
    expect(a.inertia).toBeLessThanOrEqual(full.inertia * 1.01);
  });

  test('no rows gives no clusters', () => {
    expect(kmeans(new Float64Array(0), 0, 3, { k: 4, seed: 1 })).toEqual({
      assignments: new Int32Array(0), centers: new Float64Array(0), inertia: 0, iterations: 0, k: 0,
    });
  });

  test('k=1 puts the center at the column means', () => {
    const m = Float64Array.from([0, 0, 2, 0, 4, 6]);
    const r = kmeans(m, 3, 2, { k: 1, seed: 1 });
    expect([...r.assignments]).toEqual([0, 0, 0]);
    expect([...r.centers]).toEqual([2, 2]);
    expect(r.inertia).toBeCloseTo(4 + 0 + 4 + 4 + 4 + 16, 12);
  });

  test.each([
    [5, 3],
    [50, 3],
  ])('k=%i over 3 distinct points gives %i clusters, no NaN, zero inertia', (k, made) => {
    const m = Float64Array.from([1, 1, 1, 1, 5, 5, 9, 0, 5, 5, 9, 0]);
    const r = kmeans(m, 6, 2, { k, seed: 1 });
    expect(r.k).toBe(made);
    expect(r.centers.length).toBe(made * 2);
    expect([...r.centers].every(Number.isFinite)).toBe(true);
    expect(r.inertia).toBe(0);
    expect(new Set(r.assignments).size).toBe(made);
  });

  test('an empty cluster is re-seeded at the row farthest from its center', () => {
    // Given a center far from every row, which no row picks
    const m = Float64Array.from([0, 0, 1, 0, 0, 1, 10, 10]);
    const r = lloyd(m, 4, 2, Float64Array.from([0, 0, 100, 100]), 2, 100, 0);
    // Then it moves onto the outlying row instead of staying empty or turning NaN
    expect([...r.assignments]).toEqual([0, 0, 0, 1]);
    expect([...r.centers]).toEqual([1 / 3, 1 / 3, 10, 10]);
  });

  test('k must be a positive integer', () => {
    expect(() => kmeans(f.matrix, f.rows, f.cols, { k: 0, seed: 1 })).toThrow(/k must be an integer >= 1, got 0/);
  });
});

describe('lloyd: bounds, incremental sums and the helper thread change no result', () => {
  // Plain Lloyd as sklearn runs it: full scans (lowest index on ties), fresh means, stop on no change
  // or summed squared shift <= tol, then relabel. No empty clusters occur on these fixtures.
  function plainLloyd(m: Float64Array, rows: number, cols: number, init: Float64Array, k: number, tol: number) {
    let centers = init.slice();
    const assign = new Int32Array(rows);
    const label = () => {
      let changed = 0;
      for (let i = 0; i < rows; i++) {
        let best = 0;
        let bestD = Infinity;
        for (let j = 0; j < k; j++) {
          let d = 0;
          for (let c = 0; c < cols; c++) d += (m[i * cols + c] - centers[j * cols + c]) ** 2;
          if (d < bestD) { bestD = d; best = j; }
        }
        if (assign[i] !== best) changed++;
        assign[i] = best;
      }
      return changed;
    };
    const update = () => {
      const sums = new Float64Array(k * cols);
      const counts = new Float64Array(k);
      for (let i = 0; i < rows; i++) {
        counts[assign[i]]++;
        for (let c = 0; c < cols; c++) sums[assign[i] * cols + c] += m[i * cols + c];
      }
      const next = sums.map((s, x) => s / counts[Math.floor(x / cols)]);
      const shift = next.reduce((t, v, x) => t + (v - centers[x]) ** 2, 0);
      centers = next;
      return shift;
    };
    label();
    let iterations = 1;
    for (;;) {
      if (update() <= tol || iterations >= 300) { label(); break; }
      iterations++;
      if (label() === 0) break;
    }
    return { assignments: [...assign], iterations };
  }

  const big = blobs('blobs 40000x8, k=9', 11, 40_000, 8, 9, 3);

  test.each([
    ['4000x30, k=23', fixtures[2], 1e-4],
    ['40000x8, k=9', big, 1e-4],
    ['40000x8, k=9, to a fixed point', big, 0],
  ] as const)('%s: same assignments and iterations as plain Lloyd, one thread or two, with or without per-center bounds', (_name, f, relTol) => {
    // Given seeded centers and sklearn's absolute tolerance
    const init = initialCenters(f.matrix, f.rows, f.cols, { k: f.k, seed: 9 });
    let mean = 0;
    const colMean = new Float64Array(f.cols);
    for (let i = 0; i < f.rows; i++) for (let c = 0; c < f.cols; c++) colMean[c] += f.matrix[i * f.cols + c] / f.rows;
    for (let i = 0; i < f.rows; i++) for (let c = 0; c < f.cols; c++) mean += (f.matrix[i * f.cols + c] - colMean[c]) ** 2;
    const tol = (relTol * mean) / f.rows / f.cols;
    // When lloyd runs on one thread, on two, and on two over a matrix already in shared memory,
    // each with and without Elkan's per-center bounds
    const run = (m: Float64Array, threads: number, perCenterBounds: boolean) =>
      lloyd(m, f.rows, f.cols, init.centers, init.count, 300, tol, { threads, perCenterBounds });
    const one = run(f.matrix, 1, false);
    const shared = new Float64Array(new SharedArrayBuffer(f.matrix.byteLength));
    shared.set(f.matrix);
    const others = [run(f.matrix, 1, true), run(f.matrix, 2, false), run(f.matrix, 2, true), run(shared, 2, false), run(shared, 2, true)];
    const plain = plainLloyd(f.matrix, f.rows, f.cols, init.centers, init.count, tol);
    // Then the clustering is plain Lloyd's, and neither threads nor bounds change a bit of it
    expect([...one.assignments]).toEqual(plain.assignments);
    expect(one.iterations).toBe(plain.iterations);
    for (const other of others) expect(other).toEqual(one);
  });
});
