// One consistent address mapping for a whole dataset: IPv4, IPv6 and MAC tables, filled from
// an Allocator (faker or prefix mode), with the class rules of address-class.ts, collision
// checks (a fake address is never an original address, nor an IPv4 original's bytes reversed,
// and never used twice) and the solicited-node suffix table that keeps ff02::1:ffXX:XXXX and
// 33:33:ff:XX:XX:XX consistent with the unicast address they come from.

import { classifyMac, classifyV4, classifyV6, eui64FromMac, isEui64, macFromEui64 } from './address-class.ts';
import type { AddressCollector } from './address-collector.ts';
import type { Allocator } from './allocator.ts';
import { type AddressMapper, macFromKey, macKey, v6FromKey, v6Key } from './mapper.ts';
import { BugError } from '../errors.ts';

const MAX_ATTEMPTS = 10_000;

/** The address with its bytes reversed: a fake whose dotted text is an original's in-addr.arpa
 * form (10.0.18.198 for 198.18.0.10) would be found by verify-anon as a leak of that original. */
const byteSwap32 = (a: number) => (((a & 0xff) << 24) | ((a >>> 8 & 0xff) << 16) | ((a >>> 16 & 0xff) << 8) | (a >>> 24)) >>> 0;

export class AddressMapping implements AddressMapper {
  readonly v4Table = new Map<number, number>();
  readonly v6Table = new Map<string, string>();
  readonly macTable = new Map<number, number>();
  readonly solicitedTable = new Map<number, number>();
  private readonly usedV4 = new Set<number>();
  private readonly usedV6 = new Set<string>();
  private readonly usedMac = new Set<number>();
  private readonly usedSolicited = new Set<number>();
  /** Original addresses: a fake one must never equal any of them. */
  private readonly origV4 = new Set<number>();
  private readonly origV6 = new Set<string>();
  private readonly origMac = new Set<number>();
  private readonly tmp16 = new Uint8Array(16);
  private readonly tmp6 = new Uint8Array(6);
  // Direct-mapped caches in front of the tables: most packets repeat the last few addresses,
  // and a Map keyed by numbers above 2^31 or by strings costs far more than these compares.
  private readonly v4CacheKey = new Int32Array(4096);
  private readonly v4CacheVal = new Int32Array(4096);
  private readonly v4CacheSet = new Uint8Array(4096);
  private readonly macCache = new Uint8Array(1024 * 12);
  private readonly macCacheSet = new Uint8Array(1024);
  private readonly v6Cache = new Uint8Array(1024 * 32);
  private readonly v6CacheSet = new Uint8Array(1024);

  constructor(private readonly allocator: Allocator) {}

  /** Adds entries loaded from a mapping file; they win over anything the allocator would pick. */
  preload(entries: { v4: [number, number][]; v6: [string, string][]; mac: [number, number][]; solicited: [number, number][] }): void {
    for (const [o, n] of entries.v4) { this.v4Table.set(o, n); this.usedV4.add(n); this.origV4.add(o); }
    for (const [o, n] of entries.v6) { this.v6Table.set(o, n); this.usedV6.add(n); this.origV6.add(o); }
    for (const [o, n] of entries.mac) { this.macTable.set(o, n); this.usedMac.add(n); this.origMac.add(o); }
    for (const [o, n] of entries.solicited) { this.solicitedTable.set(o, n); this.usedSolicited.add(n); }
  }

  /**
   * Maps every address the first pass found, in a fixed order (sorted; MACs before the IPv6
   * addresses whose EUI-64 IDs derive from them; unicast before solicited-node), so the result
   * depends only on the seed or key and the set of addresses.
   */
  prepare(found: AddressCollector): void {
    for (const a of found.v4s) this.origV4.add(a);
    for (const a of found.v6s) this.origV6.add(a);
    for (const m of found.macs) this.origMac.add(m);
    const b = new Uint8Array(16);
    const macs = [...found.macs].sort((x, y) => x - y);
    const isSolicitedMac = (m: number) => Math.floor(m / 2 ** 24) === 0x3333ff;
    for (const m of macs.filter((m) => !isSolicitedMac(m))) { macFromKey(m, b, 0); this.mac(b, 0); }
    for (const a of [...found.v4s].sort((x, y) => x - y)) this.v4(a);
    const v6 = [...found.v6s].sort();
    const isSolicited = (k: string) => classifyV6(v6FromKey(k), 0) === 'solicited-node';
    for (const k of v6.filter((k) => !isSolicited(k))) { b.set(v6FromKey(k)); this.v6(b, 0); }
    for (const k of v6.filter(isSolicited)) { b.set(v6FromKey(k)); this.v6(b, 0); }
    for (const m of macs.filter(isSolicitedMac)) { macFromKey(m, b, 0); this.mac(b, 0); }
  }

  v4(addr: number): number {
    const h = Math.imul(addr, 0x9e3779b1) >>> 20;
    if (this.v4CacheSet[h] === 1 && this.v4CacheKey[h] === (addr | 0)) return this.v4CacheVal[h] >>> 0;
    const out = this.v4Slow(addr);
    this.v4CacheKey[h] = addr | 0;
    this.v4CacheVal[h] = out | 0;
    this.v4CacheSet[h] = 1;
    return out;
  }

  private v4Slow(addr: number): number {
    const hit = this.v4Table.get(addr);
    if (hit !== undefined) return hit;
    const cls = classifyV4(addr);
    let out = addr;
    if (cls !== 'kept') {
      for (let attempt = 0; ; attempt++) {
        if (attempt > MAX_ATTEMPTS) throw new BugError(`no free fake IPv4 address for ${addr} after ${MAX_ATTEMPTS} tries; the fake range is too small`);
        out = this.allocator.v4(addr, cls === 'link-local', attempt);
        if (classifyV4(out) === cls && !this.usedV4.has(out) && !this.origV4.has(out) && !this.origV4.has(byteSwap32(out))) break;
      }
      this.usedV4.add(out);
    }
    this.v4Table.set(addr, out);
    return out;
  }

  v6(buf: Uint8Array, off: number): void {
    const h = ((buf[off + 13] << 2) ^ (buf[off + 14] << 1) ^ buf[off + 15] ^ (buf[off + 7] << 3) ^ buf[off + 1]) & 1023;
    const c = this.v6Cache;
    const base = h * 32;
    if (this.v6CacheSet[h] === 1) {
      let same = true;
      for (let i = 0; i < 16; i++) if (c[base + i] !== buf[off + i]) { same = false; break; }
      if (same) {
        for (let i = 0; i < 16; i++) buf[off + i] = c[base + 16 + i];
        return;
      }
    }
    for (let i = 0; i < 16; i++) c[base + i] = buf[off + i];
    this.v6Slow(buf, off);
    for (let i = 0; i < 16; i++) c[base + 16 + i] = buf[off + i];
    this.v6CacheSet[h] = 1;
  }

  private v6Slow(buf: Uint8Array, off: number): void {
    const key = v6Key(buf, off);
    const hit = this.v6Table.get(key);
    if (hit !== undefined) {
      for (let i = 0; i < 8; i++) { const w = hit.charCodeAt(i); buf[off + 2 * i] = w >> 8; buf[off + 2 * i + 1] = w & 0xff; }
      return;
    }
    const cls = classifyV6(buf, off);
    const orig = buf.slice(off, off + 16);
    const out = this.tmp16;
    out.set(orig);
    if (cls === 'solicited-node') {
      const s = this.solicitedFor((orig[13] << 16) | (orig[14] << 8) | orig[15]);
      out[13] = s >> 16; out[14] = (s >> 8) & 0xff; out[15] = s & 0xff;
    } else if (cls === 'v4-mapped') {
      const m = this.v4(((orig[12] << 24) | (orig[13] << 16) | (orig[14] << 8) | orig[15]) >>> 0);
      out[12] = m >>> 24; out[13] = (m >>> 16) & 0xff; out[14] = (m >>> 8) & 0xff; out[15] = m & 0xff;
    } else if (cls === 'link-local' || cls === 'unicast') {
      const eui = cls === 'link-local' && isEui64(orig, 8);
      for (let attempt = 0; ; attempt++) {
        if (attempt > MAX_ATTEMPTS) throw new BugError('no free fake IPv6 address after many tries');
        if (eui) {
          macFromEui64(orig, 8, this.tmp6, 0);
          this.mac(this.tmp6, 0);
          eui64FromMac(this.tmp6, 0, out, 8);
        } else if (cls === 'link-local') {
          this.allocator.v6InterfaceId(orig, attempt, out);
        } else {
          this.allocator.v6(orig, attempt, out);
        }
        const k = v6Key(out, 0);
        if (eui || (classifyV6(out, 0) === cls && !this.usedV6.has(k) && !this.origV6.has(k))) break;
      }
      // Remember where this address's solicited-node suffix goes.
      const origSuffix = (orig[13] << 16) | (orig[14] << 8) | orig[15];
      const newSuffix = (out[13] << 16) | (out[14] << 8) | out[15];
      if (!this.solicitedTable.has(origSuffix) && !this.usedSolicited.has(newSuffix)) {
        this.solicitedTable.set(origSuffix, newSuffix);
        this.usedSolicited.add(newSuffix);
      }
    }
    const outKey = v6Key(out, 0);
    if (cls !== 'kept') this.usedV6.add(outKey);
    this.v6Table.set(key, outKey);
    buf.set(out, off);
  }

  private solicitedFor(suffix: number): number {
    const hit = this.solicitedTable.get(suffix);
    if (hit !== undefined) return hit;
    let s = 0;
    for (let attempt = 0; ; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new BugError('no free solicited-node suffix after many tries');
      s = this.allocator.solicited(suffix, attempt);
      if (!this.usedSolicited.has(s) && s !== suffix) break;
    }
    this.solicitedTable.set(suffix, s);
    this.usedSolicited.add(s);
    return s;
  }

  mac(buf: Uint8Array, off: number): void {
    const h = ((buf[off + 3] << 4) ^ (buf[off + 4] << 2) ^ buf[off + 5] ^ buf[off + 1]) & 1023;
    const c = this.macCache;
    const base = h * 12;
    if (this.macCacheSet[h] === 1 && c[base] === buf[off] && c[base + 1] === buf[off + 1] && c[base + 2] === buf[off + 2]
      && c[base + 3] === buf[off + 3] && c[base + 4] === buf[off + 4] && c[base + 5] === buf[off + 5]) {
      for (let i = 0; i < 6; i++) buf[off + i] = c[base + 6 + i];
      return;
    }
    for (let i = 0; i < 6; i++) c[base + i] = buf[off + i];
    this.macSlow(buf, off);
    for (let i = 0; i < 6; i++) c[base + 6 + i] = buf[off + i];
    this.macCacheSet[h] = 1;
  }

  private macSlow(buf: Uint8Array, off: number): void {
    const key = macKey(buf, off);
    const hit = this.macTable.get(key);
    if (hit !== undefined) { macFromKey(hit, buf, off); return; }
    const cls = classifyMac(buf, off);
    let out = key;
    if (cls === 'solicited-node') {
      const s = this.solicitedFor((buf[off + 3] << 16) | (buf[off + 4] << 8) | buf[off + 5]);
      out = 0x3333ff000000 + s;
    } else if (cls === 'unicast') {
      const orig = buf.slice(off, off + 6);
      const cand = this.tmp6.length === 6 ? new Uint8Array(6) : this.tmp6;
      for (let attempt = 0; ; attempt++) {
        if (attempt > MAX_ATTEMPTS) throw new BugError('no free fake MAC after many tries');
        this.allocator.mac(orig, attempt, cand);
        cand[0] = (cand[0] & 0xfc) | (orig[0] & 0x03); // keep I/G (0 here) and U/L bits
        out = macKey(cand, 0);
        if (classifyMac(cand, 0) === 'unicast' && !this.usedMac.has(out) && !this.origMac.has(out)) break;
      }
      this.usedMac.add(out);
    }
    this.macTable.set(key, out);
    macFromKey(out, buf, off);
  }
}
