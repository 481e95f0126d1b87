import { describe, expect, test } from 'vitest';

import { pca2 } from '../../src/cluster/pca.ts';
import { fixtureRandom, hasSklearn, runPython } from '../score/sklearn-oracle.ts';

describe('pca2', () => {
  test.runIf(hasSklearn)('matches sklearn PCA(2) up to each component\'s sign', () => {
    // Given correlated columns with distinct variances
    const random = fixtureRandom(11);
    const rows = 500;
    const cols = 6;
    const m = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const a = random() * 10;
      const b = random() * 3;
      for (let c = 0; c < cols; c++) m[i * cols + c] = a * (c + 1) * 0.3 + b * (c % 2 ? 1 : -1) + random();
    }
    const expected = runPython<number[][]>(
      'import json,sys,numpy as np\nfrom sklearn.decomposition import PCA\nf=json.load(sys.stdin)\nprint(json.dumps(PCA(2).fit_transform(np.array(f["m"]).reshape(-1,f["c"])).tolist()))',
      { m: [...m], c: cols },
    );
    // When projected
    const p = pca2(m, rows, cols);
    // Then each component equals sklearn's, possibly negated
    for (const comp of [0, 1]) {
      const sign = Math.sign(p[comp]) === Math.sign(expected[0][comp]) ? 1 : -1;
      for (let i = 0; i < rows; i++) expect(sign * p[i * 2 + comp]).toBeCloseTo(expected[i][comp], 6);
    }
  });

  test('no rows, constant data and one column give finite output', () => {
    expect(pca2(new Float64Array(0), 0, 3).length).toBe(0);
    expect([...pca2(Float64Array.from([1, 1, 1, 1]), 2, 2)]).toEqual([0, 0, 0, 0]);
    expect([...pca2(Float64Array.from([1, 3]), 2, 1)]).toEqual([-1, 0, 1, 0]);
  });
});
