// Interned addresses: every distinct IPv4, IPv6 or MAC address gets one small id, so packet
// columns hold a uint32 per address whatever its family. Id 0 means "no address".

import { v4FromText } from '../../util/address-text.ts';

export const ADDRESS_KIND = { NONE: 0, IPV4: 4, IPV6: 6, MAC: 1 } as const;
export type AddressKind = (typeof ADDRESS_KIND)[keyof typeof ADDRESS_KIND];

export class AddressTable {
  private readonly v4 = new Map<number, number>();
  /** MACs keyed by their 48-bit value (exact in a double). */
  private readonly macs = new Map<number, number>();
  /** IPv6 keyed by 8 UTF-16 code units (one per 16-bit group). */
  private readonly v6 = new Map<string, number>();
  /** Kind per id. */
  private kinds: number[] = [ADDRESS_KIND.NONE];
  /** IPv4 as uint32 per id (0 for other kinds). */
  private v4Values: number[] = [0];
  /** Hex bytes for IPv6 and MAC ids. */
  private bytes: (string | null)[] = [null];

  get size(): number {
    return this.kinds.length;
  }

  /** Id of an IPv4 address given as a uint32 (network order read as big-endian). */
  ipv4(value: number): number {
    let id = this.v4.get(value);
    if (id === undefined) {
      id = this.kinds.length;
      this.v4.set(value, id);
      this.kinds.push(ADDRESS_KIND.IPV4);
      this.v4Values.push(value);
      this.bytes.push(null);
    }
    return id;
  }

  /** Id of the 16-byte IPv6 address at data[offset]. */
  ipv6(data: Uint8Array, offset: number): number {
    const key = String.fromCharCode(
      (data[offset] << 8) | data[offset + 1], (data[offset + 2] << 8) | data[offset + 3],
      (data[offset + 4] << 8) | data[offset + 5], (data[offset + 6] << 8) | data[offset + 7],
      (data[offset + 8] << 8) | data[offset + 9], (data[offset + 10] << 8) | data[offset + 11],
      (data[offset + 12] << 8) | data[offset + 13], (data[offset + 14] << 8) | data[offset + 15],
    );
    let id = this.v6.get(key);
    if (id === undefined) {
      id = this.add(ADDRESS_KIND.IPV6, hexOf(data, offset, 16));
      this.v6.set(key, id);
    }
    return id;
  }

  /** Id of the 6-byte MAC address at data[offset]. */
  mac(data: Uint8Array, offset: number): number {
    const key = ((data[offset] << 8) | data[offset + 1]) * 4294967296 + (((data[offset + 2] << 24) | (data[offset + 3] << 16) | (data[offset + 4] << 8) | data[offset + 5]) >>> 0);
    let id = this.macs.get(key);
    if (id === undefined) {
      id = this.add(ADDRESS_KIND.MAC, hexOf(data, offset, 6));
      this.macs.set(key, id);
    }
    return id;
  }

  private add(kind: number, hex: string): number {
    const id = this.kinds.length;
    this.kinds.push(kind);
    this.v4Values.push(0);
    this.bytes.push(hex);
    return id;
  }

  kind(id: number): AddressKind {
    return (this.kinds[id] ?? ADDRESS_KIND.NONE) as AddressKind;
  }

  /** Id of an address written as text (IPv4 dotted, IPv6, MAC with colons); undefined if never seen. */
  lookup(text: string): number | undefined {
    const v4 = v4FromText(text);
    if (v4 !== undefined) return this.v4.get(v4);
    const v6 = parseIpv6(text);
    if (v6) return this.v6.get(String.fromCharCode(...v6.match(/..../g)!.map((g) => parseInt(g, 16))));
    const mac = /^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$/i.test(text) ? text.toLowerCase().replace(/[:-]/g, '') : undefined;
    return mac ? this.macs.get(parseInt(mac, 16)) : undefined;
  }

  /** The address as Wireshark writes it (IPv6 compressed, MAC with colons); '' for id 0. */
  text(id: number): string {
    const kind = this.kinds[id];
    if (kind === ADDRESS_KIND.IPV4) {
      const v = this.v4Values[id];
      return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
    }
    const hex = this.bytes[id];
    if (!hex) return '';
    if (kind === ADDRESS_KIND.MAC) return hex.match(/../g)!.join(':');
    return formatIpv6(hex);
  }
}

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hexOf(data: Uint8Array, offset: number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += HEX[data[offset + i]];
  return out;
}

/** 32 lowercase hex digits of an IPv6 address, or undefined. */
export function parseIpv6(text: string): string | undefined {
  if (!text.includes(':') || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] | undefined => {
    if (s === '') return [];
    const out: string[] = [];
    for (const g of s.split(':')) {
      if (g.includes('.')) {
        const v4 = v4FromText(g);
        if (v4 === undefined) return undefined;
        out.push((v4 >>> 16).toString(16), (v4 & 0xffff).toString(16));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) out.push(g);
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  return all.map((g) => g.toLowerCase().padStart(4, '0')).join('');
}

/** RFC 5952 text of 32 hex digits. */
export function formatIpv6(hex: string): string {
  const groups = hex.match(/..../g)!.map((g) => parseInt(g, 16));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const str = groups.map((g) => g.toString(16));
  if (bestStart < 0) return str.join(':');
  return `${str.slice(0, bestStart).join(':')}::${str.slice(bestStart + bestLen).join(':')}`;
}
