// An AddressMapper that changes nothing and records every address it is shown: the first pass
// over a capture, so the mapping knows every original address before it hands out fake ones.

import { classifyV6, isEui64, macFromEui64 } from './address-class.ts';
import { type AddressMapper, macKey, v6Key } from './mapper.ts';

export class AddressCollector implements AddressMapper {
  readonly v4s = new Set<number>();
  readonly v6s = new Set<string>();
  readonly macs = new Set<number>();
  private readonly tmp = new Uint8Array(6);
  // Last address seen per slot: skips the Set for the addresses every packet repeats.
  private readonly v4Seen = new Int32Array(1024);
  private readonly macSeen = new Float64Array(256);
  private readonly v6Seen = new Uint8Array(256 * 16);

  v4(addr: number): number {
    const h = Math.imul(addr, 0x9e3779b1) >>> 22;
    if (this.v4Seen[h] === (addr | 0) && addr !== 0) return addr;
    this.v4Seen[h] = addr | 0;
    this.v4s.add(addr);
    return addr;
  }
  v6(buf: Uint8Array, off: number): void {
    const h = (buf[off + 15] ^ (buf[off + 14] << 1) ^ buf[off + 7]) & 255;
    const s = this.v6Seen;
    let same = true;
    for (let i = 0; i < 16; i++) if (s[h * 16 + i] !== buf[off + i]) { same = false; break; }
    if (same) return;
    for (let i = 0; i < 16; i++) s[h * 16 + i] = buf[off + i];
    this.v6s.add(v6Key(buf, off));
    const cls = classifyV6(buf, off);
    if (cls === 'link-local' && isEui64(buf, off + 8)) {
      macFromEui64(buf, off + 8, this.tmp, 0);
      this.macs.add(macKey(this.tmp, 0));
    } else if (cls === 'v4-mapped') {
      this.v4s.add(((buf[off + 12] << 24) | (buf[off + 13] << 16) | (buf[off + 14] << 8) | buf[off + 15]) >>> 0);
    }
  }
  mac(buf: Uint8Array, off: number): void {
    const k = macKey(buf, off);
    const h = (buf[off + 5] ^ (buf[off + 4] << 1)) & 255;
    if (this.macSeen[h] === k) return;
    this.macSeen[h] = k;
    this.macs.add(k);
  }
}
