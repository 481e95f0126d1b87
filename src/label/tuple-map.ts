// A map keyed by a fixed-width tuple of 32-bit words, exact and fast. Joining numbers into a
// string key cost about 28 µs per packet here (V8 hashing long concatenated strings); this hashes
// the words to a number, keeps the words to compare on lookup, and chains equal hashes.

export class TupleMap<V> {
  private readonly heads = new Map<number, number>();
  private words: Uint32Array;
  private next: Int32Array;
  private readonly values: V[] = [];

  constructor(private readonly width: number, capacity = 1024) {
    this.words = new Uint32Array(width * capacity);
    this.next = new Int32Array(capacity);
  }

  get size(): number {
    return this.values.length;
  }

  private static hash(tuple: ArrayLike<number>, width: number): number {
    let a = 0x9e3779b9;
    let b = 0x85ebca6b;
    for (let i = 0; i < width; i++) {
      const w = tuple[i] >>> 0;
      a = Math.imul(a ^ w, 0xcc9e2d51);
      a = (a << 15) | (a >>> 17);
      b = Math.imul(b ^ w, 0x1b873593) + a;
      b = (b << 13) | (b >>> 19);
    }
    // 53 bits: 32 from one lane, 21 from the other.
    return (a >>> 0) * 0x200000 + ((b >>> 0) >>> 11);
  }

  private find(tuple: ArrayLike<number>, hash: number): number {
    for (let e = this.heads.get(hash) ?? -1; e >= 0; e = this.next[e]) {
      let equal = true;
      for (let i = 0; i < this.width && equal; i++) equal = this.words[e * this.width + i] === tuple[i] >>> 0;
      if (equal) return e;
    }
    return -1;
  }

  get(tuple: ArrayLike<number>): V | undefined {
    const e = this.find(tuple, TupleMap.hash(tuple, this.width));
    return e < 0 ? undefined : this.values[e];
  }

  set(tuple: ArrayLike<number>, value: V): void {
    const hash = TupleMap.hash(tuple, this.width);
    const existing = this.find(tuple, hash);
    if (existing >= 0) {
      this.values[existing] = value;
      return;
    }
    const e = this.values.length;
    if (e === this.next.length) this.grow();
    for (let i = 0; i < this.width; i++) this.words[e * this.width + i] = tuple[i] >>> 0;
    this.next[e] = this.heads.get(hash) ?? -1;
    this.heads.set(hash, e);
    this.values.push(value);
  }

  *entries(): IterableIterator<V> {
    yield* this.values;
  }

  private grow(): void {
    const words = new Uint32Array(this.words.length * 2);
    words.set(this.words);
    this.words = words;
    const next = new Int32Array(this.next.length * 2);
    next.set(this.next);
    this.next = next;
  }
}
