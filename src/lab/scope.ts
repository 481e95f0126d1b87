// The declared scope of a lab of real machines: the CIDR ranges (or single addresses) its owner
// allows scanlab to scan. Pure. A private or documentation address is in scope when a range
// holds it; a public address only when the scope names it exactly (a /32, /128 or bare address),
// so a careless 0.0.0.0/0 never lets a scan out onto the Internet.

import { v4FromText, v6FromText } from '../util/address-text.ts';

export interface ScopeRange {
  readonly text: string;
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

function addressBytes(text: string): Uint8Array | undefined {
  const v4 = v4FromText(text);
  if (v4 !== undefined) return Uint8Array.of(v4 >>> 24, (v4 >>> 16) & 0xff, (v4 >>> 8) & 0xff, v4 & 0xff);
  return text.includes(':') ? v6FromText(text) : undefined;
}

/** "192.168.56.0/24", "192.168.56.10" or "2001:db8::/64"; undefined when it is neither. */
export function parseScopeRange(text: string): ScopeRange | undefined {
  const [address, length, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const bytes = addressBytes(address);
  if (!bytes) return undefined;
  const max = bytes.length * 8;
  const prefix = length === undefined ? max : Number(length);
  if (!/^\d+$/.test(length ?? String(max)) || prefix > max) return undefined;
  return { text, bytes, prefix };
}

function contains(range: { bytes: Uint8Array; prefix: number }, bytes: Uint8Array): boolean {
  if (range.bytes.length !== bytes.length) return false;
  for (let bit = 0; bit < range.prefix; bit++) {
    const mask = 0x80 >> bit % 8;
    if ((range.bytes[bit >> 3] & mask) !== (bytes[bit >> 3] & mask)) return false;
  }
  return true;
}

/** Ranges that are not on the public Internet: private, shared, link-local, benchmark, documentation. */
const NOT_PUBLIC = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '127.0.0.0/8',
  '198.18.0.0/15', '192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', 'fc00::/7', 'fe80::/10', '2001:db8::/32', '2001:2::/48', '::1/128']
  .map((text) => parseScopeRange(text)!);

export function isPublicAddress(address: string): boolean {
  const bytes = addressBytes(address);
  return bytes !== undefined && !NOT_PUBLIC.some((range) => contains(range, bytes));
}

/** Why the address is out of scope, or undefined when it is in. */
export function outOfScope(address: string, scope: readonly string[]): string | undefined {
  const bytes = addressBytes(address);
  if (!bytes) return `${address} is not an IP address`;
  const ranges = scope.map((text) => parseScopeRange(text)).filter((r): r is ScopeRange => r !== undefined);
  const exact = ranges.some((r) => r.prefix === r.bytes.length * 8 && contains(r, bytes));
  if (isPublicAddress(address)) return exact ? undefined : `${address} is a public address, and scope does not name it exactly`;
  return ranges.some((r) => contains(r, bytes)) ? undefined : `${address} is outside the declared scope`;
}
