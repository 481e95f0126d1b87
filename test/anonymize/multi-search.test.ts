// The multi-pattern search against a naive one (every pattern at every offset): the same matches,
// also when thousands of patterns share their first bytes (dotted texts of one /16).
import { expect, test } from 'vitest';
import { MultiSearch } from '../../src/anonymize/multi-search.ts';
import { buildLeakPatterns, type LeakPattern } from '../../src/anonymize/leak-patterns.ts';
import { seededRandom } from '../../src/util/seeded-random.ts';

function naive(hay: Uint8Array, patterns: readonly LeakPattern[]): string[] {
  const fold = (c: number) => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);
  const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
  const isHex = (c: number) => isDigit(c) || (fold(c) >= 0x61 && fold(c) <= 0x66);
  const out: string[] = [];
  for (let i = 0; i < hay.length; i++) {
    for (const p of patterns) {
      const b = p.bytes;
      if (b.length < 4 || i + b.length > hay.length) continue;
      let ok = true;
      for (let k = 0; k < b.length && ok; k++) ok = p.text ? fold(hay[i + k]) === fold(b[k]) : hay[i + k] === b[k];
      if (!ok) continue;
      const before = i > 0 ? hay[i - 1] : -1;
      const after = i + b.length < hay.length ? hay[i + b.length] : -1;
      if (p.boundary === 'decimal' && (isDigit(before) || isDigit(after))) continue;
      if (p.boundary === 'ipv6' && (isHex(before) || before === 0x3a || isHex(after) || after === 0x3a)) continue;
      out.push(`${i}:${p.address}:${p.encoding}`);
    }
  }
  return out.sort();
}

test('finds exactly what a naive search finds among 400 addresses sharing prefixes', () => {
  const random = seededRandom(3);
  const v4s = Array.from({ length: 400 }, (_, i) => (0xc6120000 + i) >>> 0); // 198.18.x.y
  const { patterns } = buildLeakPatterns({ v4s, v6s: [], macs: [] });
  // A haystack of text and bytes: some of the addresses in several encodings, and noise.
  const parts: string[] = [];
  for (let i = 0; i < 100; i++) {
    const a = v4s[Math.floor(random() * v4s.length)];
    const text = `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
    parts.push(random() < 0.5 ? text : text.split('.').reverse().join('.'), random() < 0.3 ? `${text}0` : 'x', a.toString(16).toUpperCase());
  }
  const text = new TextEncoder().encode(parts.join(','));
  const noise = Uint8Array.from({ length: 3000 }, () => Math.floor(random() * 256));
  const hay = new Uint8Array(text.length + noise.length);
  hay.set(text);
  hay.set(noise, text.length);
  const found: string[] = [];
  new MultiSearch(patterns).scan(hay, 0, hay.length, (m) => found.push(`${m.offset}:${m.pattern.address}:${m.pattern.encoding}`));
  const expected = naive(hay, patterns);
  expect(expected.length).toBeGreaterThan(150);
  expect(found.sort()).toEqual(expected);
});
