// Internet checksum (RFC 1071) helpers: full computation and incremental update (RFC 1624).

/** Unfolded 16-bit word sum of b[start..end) (odd tail padded with zero). Even start assumed. */
export function sum16(b: Uint8Array, start: number, end: number): number {
  let s = 0;
  let i = start;
  for (; i + 1 < end; i += 2) s += (b[i] << 8) | b[i + 1];
  if (i < end) s += b[i] << 8;
  return s;
}

export function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000);
  return s;
}

/** Final checksum from an unfolded sum. */
export function finish(s: number): number {
  return ~fold(s) & 0xffff;
}

/** RFC 1624 eq. 3: checksum after the covered data's sum went from oldSum to newSum. */
export function adjust(oldCk: number, oldSum: number, newSum: number): number {
  return ~fold((~oldCk & 0xffff) + (~fold(oldSum) & 0xffff) + fold(newSum)) & 0xffff;
}

export function get16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

export function get32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

export function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}
