import { describe, expect, test } from 'vitest';

import { chooseK } from '../../src/cluster/kmeans.ts';
import { pairwiseDistances, silhouetteScore } from '../../src/cluster/silhouette.ts';
import { fixtureRandom, hasSklearn, runPython } from '../score/sklearn-oracle.ts';

function blobs(seed: number, rows: number, cols: number, k: number, spread: number): Float64Array {
  const random = fixtureRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centers = Array.from({ length: k * cols }, () => random() * 40 - 20);
  const m = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const b = i % k;
    for (let c = 0; c < cols; c++) m[i * cols + c] = centers[b * cols + c] + spread * gauss();
  }
  return m;
}

describe.runIf(hasSklearn)('silhouetteScore against sklearn.metrics.silhouette_score', () => {
  test.each([
    [1, 300, 4, 3],
    [2, 200, 2, 7],
  ])('seed %i: %i rows, %i columns, %i clusters', (seed, rows, cols, k) => {
    // Given rows and random labels, some clusters with one row
    const m = blobs(seed, rows, cols, k, 6);
    const random = fixtureRandom(seed + 100);
    const labels = Int32Array.from({ length: rows }, () => Math.floor(random() * k));
    labels[0] = k; // a singleton cluster scores 0
    const expected = runPython<number>(
      'import json,sys,numpy as np\nfrom sklearn.metrics import silhouette_score\nf=json.load(sys.stdin)\nprint(json.dumps(float(silhouette_score(np.array(f["m"]).reshape(-1,f["c"]), f["l"]))))',
      { m: [...m], c: cols, l: [...labels] },
    );
    expect(silhouetteScore(pairwiseDistances(m, rows, cols), labels)).toBeCloseTo(expected, 10);
  });
});

describe('chooseK', () => {
  test('picks the number of well-separated blobs', () => {
    const m = blobs(3, 3000, 5, 4, 1);
    const result = chooseK(m, 3000, 5, { candidates: [2, 3, 4, 5, 6, 8], seed: 1, sample: 1000 });
    expect(result.k).toBe(4);
    expect(result.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 8]);
  });

  test('a candidate that leaves one cluster has no silhouette and is not chosen', () => {
    const m = blobs(4, 200, 2, 2, 1);
    const result = chooseK(m, 200, 2, { candidates: [1, 2], seed: 1 });
    expect(Number.isNaN(result.scores[0].silhouette)).toBe(true);
    expect(result.k).toBe(2);
  });

  test('the same seed gives the same choice and scores', () => {
    const m = blobs(5, 1500, 3, 3, 3);
    const opts = { candidates: [2, 3, 4], seed: 9 };
    expect(chooseK(m, 1500, 3, opts)).toEqual(chooseK(m, 1500, 3, opts));
  });
});
