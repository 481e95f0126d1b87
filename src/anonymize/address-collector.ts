// An AddressMapper that changes nothing and records every address it is shown: the first pass
// over a capture, so the mapping knows every original address before it hands out fake ones.

import { classifyV6, isEui64, macFromEui64 } from './address-class.ts';
import { type AddressMapper, macKey, v6Key } from './mapper.ts';

export class AddressCollector implements AddressMapper {
  readonly v4s = new Set<number>();
  readonly v6s = new Set<string>();
  readonly macs = new Set<number>();
  private readonly tmp = new Uint8Array(6);

  v4(addr: number): number {
    this.v4s.add(addr);
    return addr;
  }
  v6(buf: Uint8Array, off: number): void {
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
    this.macs.add(macKey(buf, off));
  }
}
