import { describe, expect, test } from 'vitest';
import { scoreDetection } from '../../src/detect/score-detection.ts';

describe('scoring a per-packet prediction', () => {
  test('two clusters scored as sklearn would: predicted [1,1,0,0] vs labels [1,0,1,0]', () => {
    const s = scoreDetection(Uint8Array.of(1, 1, 0, 0), Uint8Array.of(1, 0, 1, 0));
    // sklearn: adjusted_rand_score = -0.5, normalized_mutual_info_score = 0
    expect(s.metrics.ari).toBeCloseTo(-0.5, 12);
    expect(s.metrics.nmi).toBeCloseTo(0, 12);
    // tp 1, fp 1, fn 1
    expect(s.metrics.scanPrecision).toBe(0.5);
    expect(s.metrics.scanRecall).toBe(0.5);
    expect(s.metrics.scanF1).toBe(0.5);
    expect(s.predictedScan).toBe(2);
    expect(s.falsePositives).toBe(1);
  });

  test('precision, recall and F1 take the prediction as it is, not the majority of its cluster', () => {
    // predicted scan holds 1 scan and 2 benign: tp 1, fp 2, fn 0 -> P 1/3, R 1, F1 2/4
    const s = scoreDetection(Uint8Array.of(1, 1, 1, 0), Uint8Array.of(1, 0, 0, 0));
    expect(s.metrics.scanPrecision).toBeCloseTo(1 / 3, 12);
    expect(s.metrics.scanRecall).toBe(1);
    expect(s.metrics.scanF1).toBe(0.5);
  });

  test('a perfect prediction scores 1 everywhere', () => {
    const s = scoreDetection(Uint8Array.of(1, 0, 1, 0, 0), Uint8Array.of(1, 0, 1, 0, 0));
    for (const key of ['ari', 'nmi', 'vMeasure', 'scanF1'] as const) expect(s.metrics[key]).toBeCloseTo(1, 12);
  });
});
