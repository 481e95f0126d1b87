import { describe, expect, test } from 'vitest';
import { bar, clock, formatBytes, sparkline, truncate } from '../../src/tui/format.ts';

describe('format', () => {
  test.each([
    [0, '0:00'],
    [61_000, '1:01'],
    [3_725_000, '1:02:05'],
  ])('clock(%i) -> %s', (ms, text) => expect(clock(ms)).toBe(text));

  test.each([
    [512, '512 B'],
    [2048, '2.0 KiB'],
    [5 * 1024 * 1024, '5.0 MiB'],
  ])('formatBytes(%i) -> %s', (n, text) => expect(formatBytes(n)).toBe(text));

  test('sparkline scales to the maximum, shows zero as a blank and keeps the last values', () => {
    expect(sparkline([0, 1, 8], 3)).toBe(' ▂█');
    expect(sparkline([9, 9, 0, 4, 8], 3)).toBe(' ▅█');
  });

  test('bar fills to the percentage and clamps', () => {
    expect(bar(50, 10)).toBe('█████░░░░░');
    expect(bar(150, 4)).toBe('████');
  });

  test('truncate marks a cut with an ellipsis', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });
});
