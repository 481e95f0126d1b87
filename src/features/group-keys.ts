// Dense group ids for tuples of small non-negative integers, without per-packet objects: a
// hash table from an exact numeric key (kept below 2^53) to the next free id. Pairs whose combined key
// would not be exact (a window index of a 1 ns window over days, timestamps near 2^32 s) take a
// text key instead: slower, but never a wrong group or an overflow.

export class GroupIds {
  /** Open addressing with linear probing over typed arrays: 12 bytes a slot, no object per key
   *  (a Map boxes each key above 2^31 and takes ~45 bytes an entry; at millions of groups that
   *  was hundreds of MB at a feature set's peak). slotId holds id + 1, 0 for an empty slot. */
  private slotKey = new Float64Array(INITIAL_SLOTS);
  private slotId = new Int32Array(INITIAL_SLOTS);
  private exact = 0;
  private readonly wide = new Map<string, number>();
  get size(): number {
    return this.exact + this.wide.size;
  }
  /** Id of the pair (a, b) with 0 <= b < bRange, whatever the size of `a`. */
  pairId(a: number, b: number, bRange: number): number {
    const key = a * bRange + b;
    if (Number.isSafeInteger(key)) return this.id(key);
    const text = `${a}:${b}`;
    let id = this.wide.get(text);
    if (id === undefined) {
      id = this.size;
      this.wide.set(text, id);
    }
    return id;
  }
  /** Id of `key` (must be an exact integer below 2^53), assigning the next one when new. */
  id(key: number): number {
    if (Number.isNaN(key)) return this.pairId(NaN, 0, 1);
    const mask = this.slotId.length - 1;
    let slot = slotOf(key) & mask;
    for (;;) {
      const stored = this.slotId[slot];
      if (stored === 0) break;
      if (this.slotKey[slot] === key) return stored - 1;
      slot = (slot + 1) & mask;
    }
    const id = this.size;
    this.slotKey[slot] = key;
    this.slotId[slot] = id + 1;
    this.exact++;
    if (this.exact * 2 > this.slotId.length) this.rehash();
    return id;
  }
  /** Twice the slots, every key placed again (at most half the slots are ever full). */
  private rehash(): void {
    const keys = this.slotKey;
    const ids = this.slotId;
    this.slotKey = new Float64Array(keys.length * 2);
    this.slotId = new Int32Array(ids.length * 2);
    const mask = this.slotId.length - 1;
    for (let s = 0; s < ids.length; s++) {
      if (ids[s] === 0) continue;
      let slot = slotOf(keys[s]) & mask;
      while (this.slotId[slot] !== 0) slot = (slot + 1) & mask;
      this.slotKey[slot] = keys[s];
      this.slotId[slot] = ids[s];
    }
  }
}

const INITIAL_SLOTS = 1024;

/** A well-mixed 32-bit hash of an exact integer below 2^53 (both halves of it). */
function slotOf(key: number): number {
  const low = key >>> 0;
  const high = (key - low) / 4294967296;
  let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** a * bRange + b, checked to stay exact. */
export function pairKey(a: number, b: number, bRange: number): number {
  const key = a * bRange + b;
  if (key > Number.MAX_SAFE_INTEGER) throw new RangeError(`group key overflows (${a} * ${bRange} + ${b})`);
  return key;
}
