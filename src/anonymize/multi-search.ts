// Multi-pattern byte search: every pattern is indexed by its first 4 bytes (ASCII letters folded
// to lower case); a 16M-bit filter over a hash of each 4-byte window of the haystack rejects
// almost every position with a few arithmetic operations. Behind each first 4 bytes the patterns
// form a trie in steps of 4 bytes, so a hit compares in full only the few patterns that agree on
// every step: with 60,000 addresses, thousands of dotted texts share "198." and their reversed
// forms share short prefixes, and a flat list per key made each hit cost O(addresses).
// Linear in the haystack, whatever the number of patterns.

import type { LeakPattern } from './leak-patterns.ts';

const FOLD = new Uint8Array(256).map((_, i) => (i >= 0x41 && i <= 0x5a ? i | 0x20 : i));
const FILTER_BITS = 24;

export interface Match {
  readonly pattern: LeakPattern;
  /** Offset of the first byte of the match in the haystack. */
  readonly offset: number;
}

/** Patterns that agree on their first `depth` bytes: those that end within the next 4, and the rest by those 4. */
interface TrieNode {
  readonly here: LeakPattern[];
  next: Map<number, TrieNode> | undefined;
}

/** The 4 bytes at `o`, folded, as one number. */
const key4 = (b: Uint8Array, o: number) => ((FOLD[b[o]] << 24) | (FOLD[b[o + 1]] << 16) | (FOLD[b[o + 2]] << 8) | FOLD[b[o + 3]]) >>> 0;

export class MultiSearch {
  private readonly filter = new Uint32Array((1 << FILTER_BITS) / 32);
  private readonly byKey = new Map<number, TrieNode>();
  readonly maxLength: number;

  constructor(patterns: readonly LeakPattern[]) {
    let max = 0;
    for (const p of patterns) {
      if (p.bytes.length < 4) continue;
      const b = p.bytes;
      const key = key4(b, 0);
      let node = this.byKey.get(key);
      if (!node) this.byKey.set(key, (node = { here: [], next: undefined }));
      for (let depth = 4; ; depth += 4) {
        if (b.length < depth + 4) { node.here.push(p); break; }
        node.next ??= new Map();
        const k = key4(b, depth);
        let child = node.next.get(k);
        if (!child) node.next.set(k, (child = { here: [], next: undefined }));
        node = child;
      }
      const h = Math.imul(key, 0x9e3779b1) >>> (32 - FILTER_BITS);
      this.filter[h >>> 5] |= 1 << (h & 31);
      max = Math.max(max, b.length);
    }
    this.maxLength = max;
  }

  /**
   * Reports every match starting in hay[from..to). Bytes before `from` and after `to` (up to the
   * end of `hay`) are only context for whole-pattern and boundary checks.
   */
  scan(hay: Uint8Array, from: number, to: number, onMatch: (m: Match) => void): void {
    const filter = this.filter;
    const end = Math.min(to, hay.length - 3);
    if (from >= end) return;
    let w = ((FOLD[hay[from]] << 16) | (FOLD[hay[from + 1]] << 8) | FOLD[hay[from + 2]]) >>> 0;
    for (let i = from; i < end; i++) {
      w = ((w << 8) | FOLD[hay[i + 3]]) >>> 0;
      const h = Math.imul(w, 0x9e3779b1) >>> (32 - FILTER_BITS);
      if ((filter[h >>> 5] & (1 << (h & 31))) === 0) continue;
      let node = this.byKey.get(w);
      for (let depth = 4; node; depth += 4) {
        for (const p of node.here) if (matchAt(hay, i, p)) onMatch({ pattern: p, offset: i });
        if (!node.next || i + depth + 4 > hay.length) break;
        node = node.next.get(key4(hay, i + depth));
      }
    }
  }
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

function matchAt(hay: Uint8Array, i: number, p: LeakPattern): boolean {
  const b = p.bytes;
  if (i + b.length > hay.length) return false;
  if (p.text) {
    for (let k = 0; k < b.length; k++) if (FOLD[hay[i + k]] !== FOLD[b[k]]) return false;
  } else {
    for (let k = 0; k < b.length; k++) if (hay[i + k] !== b[k]) return false;
  }
  if (p.boundary === 'none') return true;
  const before = i > 0 ? hay[i - 1] : -1;
  const after = i + b.length < hay.length ? hay[i + b.length] : -1;
  if (p.boundary === 'decimal') return !isDigit(before) && !isDigit(after);
  return !isHex(before) && before !== 0x3a && !isHex(after) && after !== 0x3a;
}
