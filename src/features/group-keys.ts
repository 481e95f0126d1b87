// Dense group ids for tuples of small non-negative integers, without per-packet objects: a
// Map from an exact numeric key (kept below 2^53) to the next free id.

export class GroupIds {
  private readonly ids = new Map<number, number>();
  get size(): number {
    return this.ids.size;
  }
  /** Id of `key` (must be an exact integer below 2^53), assigning the next one when new. */
  id(key: number): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
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
