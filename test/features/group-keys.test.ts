// GroupIds hands out dense ids in order of first appearance: checked against a Map doing the same.
import { describe, expect, test } from 'vitest';
import { GroupIds } from '../../src/features/group-keys.ts';

/** The reference: a Map from key to the next free id (what GroupIds did before its own table). */
function mapIds(keys: readonly number[]): number[] {
  const ids = new Map<number, number>();
  return keys.map((k) => {
    let id = ids.get(k);
    if (id === undefined) {
      id = ids.size;
      ids.set(k, id);
    }
    return id;
  });
}

describe('GroupIds', () => {
  test('the same ids as a Map over 300,000 keys: repeats, keys near 2^53, negatives, -0 and NaN', () => {
    // Given keys drawn with many repeats from small, huge and negative values (a seeded LCG)
    let x = 12345;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 4294967296;
    const keys: number[] = [];
    for (let i = 0; i < 300_000; i++) {
      const r = next();
      if (r < 0.5) keys.push(Math.floor(next() * 50_000));
      else if (r < 0.8) keys.push(Number.MAX_SAFE_INTEGER - Math.floor(next() * 40_000) * 4096);
      else if (r < 0.95) keys.push(-Math.floor(next() * 10_000));
      else keys.push([0, -0, NaN][i % 3]);
    }
    // When each gets its id
    const groups = new GroupIds();
    const ids = keys.map((k) => groups.id(k));
    // Then they are the Map's, and the size is the number of distinct keys
    expect(ids).toEqual(mapIds(keys));
    expect(groups.size).toBe(new Set(keys).size);
  });

  test('pairs whose key is not exact get ids from the same sequence', () => {
    const groups = new GroupIds();
    expect(groups.pairId(1, 2, 10)).toBe(0);
    expect(groups.pairId(2 ** 52, 3, 2 ** 20)).toBe(1);
    expect(groups.pairId(1, 2, 10)).toBe(0);
    expect(groups.pairId(2 ** 52, 3, 2 ** 20)).toBe(1);
    expect(groups.id(7)).toBe(2);
    expect(groups.size).toBe(3);
  });
});
