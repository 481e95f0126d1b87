import { describe, expect, test } from 'vitest';

import { contingency } from '../../src/score/contingency.ts';
import { hackingRating } from '../../src/score/hacking-rating.ts';
import { computeMetrics, type Metrics, type ScoreInput } from '../../src/score/metrics.ts';
import { scanClusterIds } from '../../src/score/scan-clusters.ts';
import { fixtureRandom, hasSklearn, runPython } from './sklearn-oracle.ts';

type Fixture = { name: string; clusters: number[]; labels?: number[]; weights?: number[]; scanWeights?: number[] };

// Expands weights to packets with numpy.repeat, then scores with sklearn.metrics. The majority rule
// and purity are not in sklearn; they are computed per packet from the expanded vectors.
const ORACLE = String.raw`
import json, sys
import numpy as np
from sklearn import metrics as M
out = []
for f in json.load(sys.stdin):
    c = np.asarray(f['clusters'], dtype=np.int64)
    if 'scanWeights' in f:
        w = np.asarray(f['weights'], dtype=np.int64); s = np.asarray(f['scanWeights'], dtype=np.int64)
        pc = np.concatenate([np.repeat(c, s), np.repeat(c, w - s)]).astype(np.int64)
        pl = np.concatenate([np.ones(int(s.sum()), np.int64), np.zeros(int((w - s).sum()), np.int64)])
    else:
        l = np.asarray(f['labels'], dtype=np.int64)
        w = np.asarray(f['weights'], dtype=np.int64) if 'weights' in f else np.ones(len(c), np.int64)
        pc = np.repeat(c, w).astype(np.int64); pl = np.repeat(l, w).astype(np.int64)
    h, comp, v = M.homogeneity_completeness_v_measure(pl, pc)
    scan_clusters = [k for k in np.unique(pc) if (pl[pc == k] == 1).sum() > (pl[pc == k] == 0).sum()]
    pred = np.isin(pc, scan_clusters).astype(np.int64)
    purity = 1.0 if len(pc) == 0 else sum(np.bincount(pl[pc == k], minlength=2).max() for k in np.unique(pc)) / len(pc)
    out.append(dict(
        ari=float(M.adjusted_rand_score(pl, pc)),
        nmi=float(M.normalized_mutual_info_score(pl, pc)),
        homogeneity=float(h), completeness=float(comp), vMeasure=float(v), purity=float(purity),
        scanPrecision=float(M.precision_score(pl, pred, zero_division=0)) if len(pl) else 0.0,
        scanRecall=float(M.recall_score(pl, pred, zero_division=0)) if len(pl) else 0.0,
        scanF1=float(M.f1_score(pl, pred, zero_division=0)) if len(pl) else 0.0,
    ))
print(json.dumps(out))
`;

function randomFixture(name: string, seed: number, n: number, k: number, opts: { weighted?: 'labels' | 'mixed'; gaps?: boolean; skew?: number } = {}): Fixture {
  const rand = fixtureRandom(seed);
  const ids = Array.from({ length: k }, (_, j) => (opts.gaps ? j * 7 - 3 : j));
  const clusters: number[] = [];
  const labels: number[] = [];
  const weights: number[] = [];
  const scanWeights: number[] = [];
  for (let i = 0; i < n; i++) {
    const j = Math.floor(rand() * k);
    clusters.push(ids[j]);
    // Clusters lean scan or benign so the scores are not all near 0.
    labels.push(rand() < (j % 3 === 0 ? 0.8 : opts.skew ?? 0.15) ? 1 : 0);
    const w = 1 + Math.floor(rand() * 20);
    weights.push(w);
    scanWeights.push(Math.floor(rand() * (w + 1) * (labels[i] ? 1 : 0.3)));
  }
  if (opts.weighted === 'labels') return { name, clusters, labels, weights };
  if (opts.weighted === 'mixed') return { name, clusters, weights, scanWeights };
  return { name, clusters, labels };
}

const fixtures: Fixture[] = [
  randomFixture('random 500 rows, k=5', 1, 500, 5),
  randomFixture('random 2000 rows, k=23', 2, 2000, 23),
  randomFixture('random rows, cluster ids with gaps and negatives', 3, 800, 9, { gaps: true }),
  randomFixture('weighted: every packet keeps its row label', 4, 600, 7, { weighted: 'labels' }),
  randomFixture('weighted: mixed rows (scanWeights)', 5, 600, 7, { weighted: 'mixed' }),
  randomFixture('weighted mixed with gaps', 6, 300, 4, { weighted: 'mixed', gaps: true }),
  { name: 'one cluster, both labels', clusters: [0, 0, 0, 0, 0], labels: [1, 0, 1, 0, 0] },
  { name: 'all one label, several clusters', clusters: [0, 1, 2, 1, 0], labels: [1, 1, 1, 1, 1] },
  { name: 'all benign, several clusters', clusters: [0, 1, 2, 1, 0], labels: [0, 0, 0, 0, 0] },
  { name: 'one cluster and one label', clusters: [4, 4, 4], labels: [0, 0, 0] },
  { name: 'every row its own cluster', clusters: [0, 1, 2, 3], labels: [0, 0, 1, 1] },
  { name: 'perfect split', clusters: [5, 5, 9, 9, 9], labels: [1, 1, 0, 0, 0] },
  { name: 'tie cluster counts benign', clusters: [0, 0, 1, 1], labels: [1, 0, 1, 1] },
  { name: 'no scan cluster (precision 0 by zero_division)', clusters: [0, 0, 0, 1, 1], labels: [1, 0, 0, 0, 0] },
  { name: 'zero-weight rows vanish', clusters: [0, 1, 1, 2], labels: [1, 0, 1, 0], weights: [3, 0, 0, 2] },
  { name: 'single row', clusters: [0], labels: [1] },
  { name: 'empty', clusters: [], labels: [] },
];

function toInput(f: Fixture): ScoreInput {
  const clusters = Int32Array.from(f.clusters);
  if (f.scanWeights) return { clusters, weights: Uint32Array.from(f.weights!), scanWeights: Float64Array.from(f.scanWeights) };
  return { clusters, labels: Uint8Array.from(f.labels!), ...(f.weights ? { weights: Float64Array.from(f.weights) } : {}) };
}

describe.runIf(hasSklearn)('computeMetrics matches sklearn.metrics', () => {
  const expected = hasSklearn ? runPython<Metrics[]>(ORACLE, fixtures) : [];
  test.each(fixtures.map((f, i) => [f.name, i] as const))('%s', (_name, i) => {
    // Given a fixture and sklearn's scores for it, expanded to packets
    // When scanlab scores the same clustering
    const actual = computeMetrics(toInput(fixtures[i]));
    // Then every score agrees to 1e-10
    for (const key of Object.keys(expected[i]) as (keyof Metrics)[]) {
      expect(actual[key], key).toBeCloseTo(expected[i][key], 10);
    }
  });
});

describe('majority rule and rating', () => {
  test('a cluster is scan only on a strict majority; a tie is benign', () => {
    const table = contingency({ clusters: Int32Array.from([0, 0, 1, 1, 2, 2, 2]), labels: Uint8Array.from([1, 0, 1, 1, 1, 1, 0]) });
    expect(scanClusterIds(table)).toEqual([1, 2]);
  });

  test('mixed rows split their packets between the classes', () => {
    // A row of 10 packets with 3 scan adds 3 scan and 7 benign packets to its cluster.
    const table = contingency({ clusters: Int32Array.from([7]), weights: Uint32Array.from([10]), scanWeights: Uint32Array.from([3]) });
    expect([...table.scan, ...table.benign]).toEqual([3, 7]);
  });

  test.each([
    [[10, 30, 60], [0, 1], 4],
    [[10, 30, 60], [], 0],
    [[10, 30, 60], [2, 2], 6],
    [[], [0], 0],
  ])('hackingRating(%j, %j) -> %d', (sizes, flagged, rating) => {
    expect(hackingRating(sizes, flagged)).toBeCloseTo(rating, 12);
  });
});
