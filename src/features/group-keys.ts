// Dense group ids for tuples of small non-negative integers, without per-packet objects: a
// Map from an exact numeric key (kept below 2^53) to the next free id. Pairs whose combined key
// would not be exact (a window index of a 1 ns window over days, timestamps near 2^32 s) take a
// text key instead: slower, but never a wrong group or an overflow.

export class GroupIds {
  private readonly ids = new Map<number, number>();
  private readonly wide = new Map<string, number>();
  get size(): number {
    return this.ids.size + this.wide.size;
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
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.size;
      this.ids.set(key, id);
    }
    return id;
  }
}

/** a * bRange + b, checked to stay exact. */
export function pairKey(a: number, b: number, bRange: number): number {
  const key = a * bRange + b;
  if (key > Number.MAX_SAFE_INTEGER) throw new RangeError(`group key overflows (${a} * ${bRange} + ${b})`);
  return key;
}
