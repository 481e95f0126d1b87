import { describe, expect, test } from 'vitest';
import { spread } from '../../src/bench/spread.ts';
import { Eta, formatEta } from '../../src/bench/eta.ts';

describe('spread over repeats', () => {
  test('mean, sample standard deviation (n - 1), min and max', () => {
    // mean 5; squared deviations 9 + 1 + 1 + 9 = 20; 20 / 3 -> std sqrt(20/3)
    const s = spread([2, 4, 6, 8]);
    expect(s).toMatchObject({ n: 4, mean: 5, min: 2, max: 8 });
    expect(s.std).toBeCloseTo(Math.sqrt(20 / 3), 12);
  });

  test('one value has no spread; no values give NaN', () => {
    expect(spread([0.7])).toEqual({ n: 1, mean: 0.7, std: 0, min: 0.7, max: 0.7 });
    expect(spread([]).mean).toBeNaN();
  });
});

describe('overall ETA', () => {
  test('scales what is left by how the finished runs compared to their estimate', () => {
    // Given three runs expected to take 10 s, 10 s and 20 s
    const eta = new Eta([10_000, 10_000, 20_000]);
    // When the first takes 20 s (twice the estimate)
    const p = eta.finish(0, 20_000);
    // Then 30 s of work is left at twice the rate
    expect(p).toEqual({ done: 1, total: 3, percent: 25, remainingMs: 60_000 });
    expect(eta.finish(1, 20_000).percent).toBe(50);
    expect(eta.finish(2, 1).remainingMs).toBe(0);
  });

  test.each([
    [4_000, '4s'],
    [95_000, '1m35s'],
    [3_900_000, '1h05m'],
  ])('formatEta(%i) -> %s', (ms, text) => expect(formatEta(ms)).toBe(text));
});
