// Prefix mode: keyed Crypto-PAn. Collisions and reserved classes are handled by the mapping
// re-encrypting the previous candidate ("cycle walking"): addresses sharing a prefix of 16 bits
// or more take the same walk, so they still share their mapped prefix.

import { CryptoPan } from './crypto-pan.ts';
import type { Allocator } from './allocator.ts';

export class PrefixAllocator implements Allocator {
  private readonly pan: CryptoPan;
  private readonly buf = new Uint8Array(16);
  private last4 = 0;
  private readonly last6 = new Uint8Array(16);
  private readonly lastMac = new Uint8Array(6);
  private lastSol = 0;

  constructor(key: Uint8Array) {
    this.pan = new CryptoPan(key);
  }

  v4(orig: number, linkLocal: boolean, attempt: number): number {
    const input = attempt === 0 ? orig : this.last4;
    const b = this.buf;
    b[0] = input >>> 24; b[1] = (input >>> 16) & 0xff; b[2] = (input >>> 8) & 0xff; b[3] = input & 0xff;
    this.pan.encrypt(b, 0, 4, b, 0);
    let out = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
    this.last4 = out;
    if (linkLocal) out = (0xa9fe0000 | (out & 0xffff)) >>> 0;
    return out;
  }

  v6(orig: Uint8Array, attempt: number, out: Uint8Array): void {
    this.pan.encrypt(attempt === 0 ? orig : this.last6, 0, 16, out, 0);
    this.last6.set(out);
  }

  v6InterfaceId(orig: Uint8Array, attempt: number, out: Uint8Array): void {
    const tmp = new Uint8Array(16);
    this.v6(orig, attempt, tmp);
    out.set(tmp.subarray(8, 16), 8);
  }

  mac(orig: Uint8Array, attempt: number, out: Uint8Array): void {
    this.pan.encrypt(attempt === 0 ? orig : this.lastMac, 0, 6, out, 0);
    this.lastMac.set(out.subarray(0, 6));
  }

  solicited(orig: number, attempt: number): number {
    const input = attempt === 0 ? orig : this.lastSol;
    const b = Uint8Array.of(input >>> 16, (input >>> 8) & 0xff, input & 0xff);
    this.pan.encrypt(b, 0, 3, b, 0);
    this.lastSol = (b[0] << 16) | (b[1] << 8) | b[2];
    return this.lastSol;
  }
}
