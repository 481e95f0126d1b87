// The interface the packet rewriter sees: one mapping for every field of every packet.
// v6 and mac rewrite 16 or 6 bytes in place; v4 maps a 32-bit value.

export interface AddressMapper {
  v4(addr: number): number;
  v6(buf: Uint8Array, off: number): void;
  mac(buf: Uint8Array, off: number): void;
}

/** Key of 16 address bytes for a Map. */
export function v6Key(b: Uint8Array, o: number): string {
  let s = '';
  for (let i = 0; i < 16; i += 2) s += String.fromCharCode((b[o + i] << 8) | b[o + i + 1]);
  return s;
}

export function v6FromKey(key: string): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    const w = key.charCodeAt(i);
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  }
  return out;
}

/** 48-bit MAC as an exact number. */
export function macKey(b: Uint8Array, o: number): number {
  return (b[o] * 2 ** 40) + (b[o + 1] * 2 ** 32) + (((b[o + 2] << 24) | (b[o + 3] << 16) | (b[o + 4] << 8) | b[o + 5]) >>> 0);
}

export function macFromKey(key: number, out: Uint8Array, o: number): void {
  const hi = Math.floor(key / 2 ** 32);
  const lo = key >>> 0;
  out[o] = hi >> 8;
  out[o + 1] = hi & 0xff;
  out[o + 2] = lo >>> 24;
  out[o + 3] = (lo >>> 16) & 0xff;
  out[o + 4] = (lo >>> 8) & 0xff;
  out[o + 5] = lo & 0xff;
}
