// Keyed prefix-preserving address encryption (Crypto-PAn, Xu, Fan, Ammar, Moon 2002) with
// AES-128 from node:crypto. Two addresses sharing a k-bit prefix map to two addresses sharing a
// k-bit prefix, for IPv4 (32 bits) and IPv6 (128 bits). The 32-byte key: first half is the AES
// key, the second half is encrypted once to form the padding block.

import { createCipheriv, type Cipher } from 'node:crypto';

export class CryptoPan {
  private readonly cipher: Cipher;
  private readonly pad: Buffer;
  private readonly block = Buffer.alloc(16);

  constructor(key: Uint8Array) {
    if (key.length !== 32) throw new RangeError(`Crypto-PAn key must be 32 bytes, got ${key.length}`);
    this.cipher = createCipheriv('aes-128-ecb', key.subarray(0, 16), null);
    this.cipher.setAutoPadding(false);
    this.pad = this.cipher.update(key.subarray(16, 32));
  }

  /** Encrypts `n` bytes (4 or 16) at `src[o]` into `out[outOff]`, prefix-preserving. */
  encrypt(src: Uint8Array, o: number, n: number, out: Uint8Array, outOff: number): void {
    const bits = n * 8;
    const block = this.block;
    const result = new Uint8Array(n);
    for (let pos = 0; pos < bits; pos++) {
      // First `pos` bits from the original, the rest from the pad.
      this.pad.copy(block);
      const full = pos >> 3;
      for (let i = 0; i < full; i++) block[i] = src[o + i];
      const rem = pos & 7;
      if (rem) {
        const mask = (0xff << (8 - rem)) & 0xff;
        block[full] = (src[o + full] & mask) | (this.pad[full] & ~mask & 0xff);
      }
      const enc = this.cipher.update(block);
      const otp = enc[0] >> 7;
      const bit = (src[o + (pos >> 3)] >> (7 - (pos & 7))) & 1;
      result[pos >> 3] |= (bit ^ otp) << (7 - (pos & 7));
    }
    out.set(result, outOff);
  }
}
