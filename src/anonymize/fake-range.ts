// The ranges fake addresses come from (--fake-v4/--fake-v6, a scenario's anonymize.fakeV4/fakeV6)
// and the targets of a reused mapping file must be non-public: the data card promises that no
// fake address names a real host on the Internet. A range must also lie outside the classes the
// mapper keeps or maps within themselves (address-class.ts), or no draw could ever land in it,
// and have room for the addresses a capture needs.

import { UserError } from '../errors.ts';
import { parseCidr, v4FromText, v6FromText } from '../util/address-text.ts';

export interface Cidr { readonly family: 4 | 6; readonly bytes: Uint8Array; readonly prefix: number }

/** Blocks no Internet host may use: private, shared, benchmarking and documentation ranges. */
const NON_PUBLIC: readonly [string, string][] = [
  ['10.0.0.0/8', 'private (RFC 1918)'], ['172.16.0.0/12', 'private (RFC 1918)'], ['192.168.0.0/16', 'private (RFC 1918)'],
  ['100.64.0.0/10', 'shared address space (RFC 6598)'], ['198.18.0.0/15', 'benchmarking (RFC 2544)'],
  ['192.0.2.0/24', 'documentation (RFC 5737)'], ['198.51.100.0/24', 'documentation (RFC 5737)'], ['203.0.113.0/24', 'documentation (RFC 5737)'],
  ['fc00::/7', 'unique local (RFC 4193)'], ['2001:db8::/32', 'documentation (RFC 3849)'], ['3fff::/20', 'documentation (RFC 9637)'],
  ['2001:2::/48', 'benchmarking (RFC 5180)'],
];

/** Blocks whose addresses the mapper keeps as they are, or maps only within their class. */
const KEPT_CLASS: readonly [string, string][] = [
  ['0.0.0.0/8', '"this network"'], ['127.0.0.0/8', 'loopback'], ['224.0.0.0/4', 'multicast'], ['240.0.0.0/4', 'reserved and broadcast'],
  ['169.254.0.0/16', 'link-local'],
  ['::/8', 'unspecified, loopback and IPv4-mapped'], ['ff00::/8', 'multicast'], ['fe80::/10', 'link-local'],
];

const toCidr = (text: string) => parseCidrAnyPrefix(text)!;
const nonPublic = NON_PUBLIC.map(([t, what]) => ({ cidr: toCidr(t), text: t, what }));
const keptClass = KEPT_CLASS.map(([t, what]) => ({ cidr: toCidr(t), text: t, what }));

/** parseCidr without its /1-/30 and /1-/120 fake-range limits (for the tables above and single addresses). */
function parseCidrAnyPrefix(text: string): Cidr | undefined {
  const [addr, len] = text.split('/');
  const prefix = Number(len);
  const v4 = v4FromText(addr);
  if (v4 !== undefined && Number.isInteger(prefix) && prefix >= 0 && prefix <= 32) return { family: 4, bytes: Uint8Array.of(v4 >>> 24, (v4 >>> 16) & 0xff, (v4 >>> 8) & 0xff, v4 & 0xff), prefix };
  const v6 = v6FromText(addr);
  if (v6 && Number.isInteger(prefix) && prefix >= 0 && prefix <= 128) return { family: 6, bytes: v6, prefix };
  return undefined;
}

/** True when the first `bits` bits of a and b agree. */
function samePrefix(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  for (let i = 0; i < bits; i++) if (((a[i >> 3] >> (7 - (i & 7))) & 1) !== ((b[i >> 3] >> (7 - (i & 7))) & 1)) return false;
  return true;
}

/** `inner` lies wholly inside `outer`. */
const within = (inner: Cidr, outer: Cidr) => inner.family === outer.family && inner.prefix >= outer.prefix && samePrefix(inner.bytes, outer.bytes, outer.prefix);
/** The two ranges share at least one address. */
const overlaps = (a: Cidr, b: Cidr) => a.family === b.family && samePrefix(a.bytes, b.bytes, Math.min(a.prefix, b.prefix));

/** What is wrong with `text` as a fake range of `family`, or undefined when it is fine. */
export function fakeRangeProblem(text: string, family: 4 | 6): string | undefined {
  const cidr = parseCidr(text);
  if (!cidr || cidr.family !== family) return family === 4 ? 'not an IPv4 CIDR with prefix /1 to /30' : 'not an IPv6 CIDR with prefix /1 to /120';
  const kept = keptClass.find((k) => overlaps(cidr, k.cidr));
  if (kept) return `it overlaps ${kept.text}, ${kept.what} addresses, a class scanlab keeps unchanged or maps only within itself`;
  if (!nonPublic.some((n) => within(cidr, n.cidr))) return `it is not a non-public range: fake addresses from it could name real hosts (non-public ranges: ${NON_PUBLIC.filter(([t]) => t.includes(family === 4 ? '.' : ':')).map(([t]) => t).join(', ')})`;
  return undefined;
}

/** The range, checked; a UserError naming the option and the range otherwise. */
export function checkFakeRange(text: string, family: 4 | 6, option: string): Cidr {
  const problem = fakeRangeProblem(text, family);
  if (problem) throw new UserError(`${option} ${text}: ${problem}`, family === 4 ? 'use a private range such as 10.0.0.0/8 or 100.64.0.0/10' : 'use a unique local range such as fd00::/8');
  return parseCidr(text)!;
}

/**
 * Refuses a range too small for `needed` fake addresses. Draws are random and redrawn on a
 * collision, so a range is kept at most half full: each draw then lands on a free address at
 * least every other try.
 */
export function checkRangeRoom(text: string, cidr: Cidr, needed: number, option: string): void {
  const hostBits = (cidr.family === 4 ? 32 : 128) - cidr.prefix;
  const usable = cidr.family === 4 ? 2 ** hostBits - 2 : 2 ** Math.min(hostBits, 1000);
  if (needed <= usable / 2) return;
  throw new UserError(
    `${option} ${text} is too small: it has room for ${usable} fake address${usable === 1 ? '' : 'es'} and this capture needs ${needed} (scanlab keeps a range at most half full)`,
    `give a range with a prefix of /${Math.max(1, Math.floor((cidr.family === 4 ? 32 : 128) - Math.log2(needed * 2 + 2)))} or shorter`,
  );
}

/** True when a single address (4 or 16 bytes) lies in a non-public block. */
export function isNonPublicAddress(bytes: Uint8Array): boolean {
  const cidr: Cidr = { family: bytes.length === 4 ? 4 : 6, bytes, prefix: bytes.length * 8 };
  return nonPublic.some((n) => within(cidr, n.cidr));
}
