// Faker mode: a seeded @faker-js/faker instance draws addresses from configurable non-public
// ranges (default 10.0.0.0/8 and fd00::/8). Draws happen in sorted address order (the mapping
// prepares all addresses first), so the same seed and the same set of addresses give the same
// mapping, whatever the packet order.

import { Faker, base } from '@faker-js/faker';
import type { Allocator } from './allocator.ts';

export interface FakerRanges {
  /** IPv4 network bytes and prefix length. */
  readonly v4: { bytes: Uint8Array; prefix: number };
  readonly v6: { bytes: Uint8Array; prefix: number };
}

export class FakerAllocator implements Allocator {
  private readonly faker: Faker;
  private readonly v4Base: number;
  private readonly v4Size: number;

  constructor(seed: number, private readonly ranges: FakerRanges) {
    this.faker = new Faker({ locale: [base] });
    this.faker.seed(seed);
    const b = ranges.v4.bytes;
    const mask = ranges.v4.prefix === 0 ? 0 : (0xffffffff << (32 - ranges.v4.prefix)) >>> 0;
    this.v4Base = (((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) & mask) >>> 0;
    this.v4Size = 2 ** (32 - ranges.v4.prefix);
  }

  v4(_orig: number, linkLocal: boolean): number {
    if (linkLocal) {
      // RFC 3927: 169.254.1.0 to 169.254.254.255.
      return (0xa9fe0000 + this.faker.number.int({ min: 0x0100, max: 0xfeff })) >>> 0;
    }
    // Skip the network and broadcast address of the range.
    return (this.v4Base + this.faker.number.int({ min: 1, max: this.v4Size - 2 })) >>> 0;
  }

  v6(_orig: Uint8Array, _attempt: number, out: Uint8Array): void {
    const { bytes, prefix } = this.ranges.v6;
    for (let i = 0; i < 16; i++) {
      const rnd = this.faker.number.int({ min: 0, max: 255 });
      const keepBits = Math.max(0, Math.min(8, prefix - i * 8));
      const mask = (0xff << (8 - keepBits)) & 0xff;
      out[i] = (bytes[i] & mask) | (rnd & ~mask & 0xff);
    }
  }

  v6InterfaceId(_orig: Uint8Array, _attempt: number, out: Uint8Array): void {
    for (let i = 8; i < 16; i++) out[i] = this.faker.number.int({ min: 0, max: 255 });
    out[8] &= 0xfd; // random IIDs have the U/L bit clear (RFC 7136 treats it as opaque; keep it tidy)
  }

  mac(_orig: Uint8Array, _attempt: number, out: Uint8Array): void {
    for (let i = 0; i < 6; i++) out[i] = this.faker.number.int({ min: 0, max: 255 });
  }

  solicited(): number {
    return this.faker.number.int({ min: 0, max: 0xffffff });
  }
}
