// Streaming k-means against an independent numpy implementation of Spark's documented update
// rule (StreamingKMeans: c' = (c n a + x m) / (n a + m), n' = n a + m, points assigned to the
// nearest centre before the update; a = exp(ln 0.5 / half-life)).
import { describe, expect, test } from 'vitest';
import { decayFactorForHalfLife, updateStreamingKMeans } from '../../../src/detect/online/streaming-kmeans.ts';
import { fixtureRandom, hasSklearn, runPython } from '../../score/sklearn-oracle.ts';

const REFERENCE = `
import json, sys
import numpy as np
d = json.load(sys.stdin)
c = np.array(d['centers'], dtype=float).reshape(d['k'], d['dim'])
n = np.array(d['weights'], dtype=float)
a = np.exp(np.log(0.5) / d['halfLife'])
for batch in d['batches']:
    x = np.array(batch, dtype=float).reshape(-1, d['dim'])
    nearest = np.argmin(((x[:, None, :] - c[None, :, :]) ** 2).sum(axis=2), axis=1)
    for j in range(d['k']):
        pts = x[nearest == j]
        m = len(pts)
        if m == 0:
            n[j] = n[j] * a
            continue
        mean = pts.mean(axis=0)
        c[j] = (c[j] * n[j] * a + mean * m) / (n[j] * a + m)
        n[j] = n[j] * a + m
print(json.dumps({'centers': c.ravel().tolist(), 'weights': n.tolist(), 'decay': a}))
`;

describe('streaming k-means (Spark update rule)', () => {
  test.runIf(hasSklearn)('matches a numpy implementation of the formula over 8 batches with a half-life of 3', () => {
    // Given 3 centres in 4 dimensions with weights, and 8 batches drifting away from them
    const random = fixtureRandom(7);
    const k = 3;
    const dim = 4;
    const centers = Float64Array.from({ length: k * dim }, () => random() * 10);
    const weights = Float64Array.from([5, 12, 2]);
    const batches: number[][] = [];
    for (let b = 0; b < 8; b++) batches.push(Array.from({ length: (5 + b * 3) * dim }, () => random() * 10 + b));
    const reference = runPython<{ centers: number[]; weights: number[]; decay: number }>(REFERENCE, { k, dim, centers: [...centers], weights: [...weights], batches, halfLife: 3 });
    // When the same batches go through scanlab's update
    const model = { k, dim, centers, weights };
    const a = decayFactorForHalfLife(3);
    for (const batch of batches) updateStreamingKMeans(model, Float64Array.from(batch), batch.length / dim, a);
    // Then centres and weights agree
    expect(a).toBeCloseTo(reference.decay, 12);
    [...model.centers].forEach((v, i) => expect(v).toBeCloseTo(reference.centers[i], 9));
    [...model.weights].forEach((v, i) => expect(v).toBeCloseTo(reference.weights[i], 9));
  });

  test('forgets: after many batches far away, a centre sits at the new data', () => {
    const model = { k: 1, dim: 1, centers: Float64Array.from([0]), weights: Float64Array.from([1000]) };
    for (let b = 0; b < 200; b++) updateStreamingKMeans(model, Float64Array.from([10, 10]), 2, decayFactorForHalfLife(5));
    expect(model.centers[0]).toBeCloseTo(10, 3);
  });

  test('a dying cluster is replaced by a split of the largest, as Spark does', () => {
    const model = { k: 2, dim: 1, centers: Float64Array.from([0, 100]), weights: Float64Array.from([1, 1]) };
    // Every point goes to centre 0; centre 1 decays to nothing.
    for (let b = 0; b < 60; b++) updateStreamingKMeans(model, Float64Array.from([1, 1, 1]), 3, 0.5);
    // Then it was put next to the live one (1e-14 apart), no longer left at 100
    expect(Math.abs(model.centers[1] - model.centers[0])).toBeLessThan(1e-9);
  });
});
