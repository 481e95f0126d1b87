// A map keyed by two endpoint numbers (address id x 65536 + port, each exact in a double), for
// per-connection decoder state without building a string per packet.

export class PairMap {
  private readonly outer = new Map<number, Map<number, number>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(a: number, b: number): number | undefined {
    return this.count === 0 ? undefined : this.outer.get(a)?.get(b);
  }

  set(a: number, b: number, value: number): void {
    let inner = this.outer.get(a);
    if (!inner) {
      inner = new Map();
      this.outer.set(a, inner);
    }
    if (!inner.has(b)) this.count++;
    inner.set(b, value);
  }

  delete(a: number, b: number): void {
    const inner = this.outer.get(a);
    if (inner?.delete(b)) {
      this.count--;
      if (inner.size === 0) this.outer.delete(a);
    }
  }
}

/** Endpoint number of an address id and a port. */
export function endpoint(addressId: number, port: number): number {
  return addressId * 65536 + port;
}
