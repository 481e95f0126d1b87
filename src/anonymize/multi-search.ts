// Multi-pattern byte search: every pattern is indexed by its first 4 bytes (ASCII letters folded
// to lower case); a 16M-bit filter over a hash of each 4-byte window of the haystack rejects
// almost every position with a few arithmetic operations, and only hits are compared in full.
// Linear in the haystack, whatever the number of patterns.

import type { LeakPattern } from './leak-patterns.ts';

const FOLD = new Uint8Array(256).map((_, i) => (i >= 0x41 && i <= 0x5a ? i | 0x20 : i));
const FILTER_BITS = 24;

export interface Match {
  readonly pattern: LeakPattern;
  /** Offset of the first byte of the match in the haystack. */
  readonly offset: number;
}

export class MultiSearch {
  private readonly filter = new Uint32Array((1 << FILTER_BITS) / 32);
  private readonly byKey = new Map<number, LeakPattern[]>();
  readonly maxLength: number;

  constructor(patterns: readonly LeakPattern[]) {
    let max = 0;
    for (const p of patterns) {
      if (p.bytes.length < 4) continue;
      const b = p.bytes;
      const key = ((FOLD[b[0]] << 24) | (FOLD[b[1]] << 16) | (FOLD[b[2]] << 8) | FOLD[b[3]]) >>> 0;
      const list = this.byKey.get(key);
      if (list) list.push(p); else this.byKey.set(key, [p]);
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
      const list = this.byKey.get(w);
      if (!list) continue;
      for (const p of list) if (matchAt(hay, i, p)) onMatch({ pattern: p, offset: i });
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
