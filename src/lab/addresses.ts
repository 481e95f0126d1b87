// Lab addressing. Every lab address lives in 198.18.0.0/15 (RFC 2544, set aside for network
// benchmark tests): it cannot clash with a real LAN and nothing real answers there. Scenarios
// with `lab: { ipv6: true }` give each host an IPv6 address too, from 2001:2::/48 (RFC 5180, the
// IPv6 block set aside for benchmarking).

import { v4FromText, v6FromText, v6ToText } from '../util/address-text.ts';

export const LAB_NETWORK = '198.18.0.0';
export const LAB_PREFIX_LENGTH = 15;
/** Hosts share one /16 inside the lab range; the mask the interfaces get. */
export const HOST_PREFIX_LENGTH = 16;

/** Address of the i-th host of a scenario: 198.18.0.10, .11, ... (stable for a given host order). */
export function labAddress(index: number): string {
  const n = 10 + index;
  return `198.18.${Math.floor(n / 256)}.${n % 256}`;
}

export const LAB_NETWORK6 = '2001:2::';
export const LAB_PREFIX_LENGTH6 = 48;
/** Hosts share one /64 inside the lab range (on-link, no router): the prefix the interfaces get. */
export const HOST_PREFIX_LENGTH6 = 64;

/** IPv6 address of the i-th host: 2001:2::a, ::b, ... (the same number as its IPv4 address's last part). */
export function labAddress6(index: number): string {
  return `2001:2::${(10 + index).toString(16)}`;
}

/** True for an IPv6 address inside 2001:2::/48, in any text form. */
export function isInLabRange6(address: string): boolean {
  const bytes = address.includes(':') ? v6FromText(address) : undefined;
  return bytes !== undefined && bytes[0] === 0x20 && bytes[1] === 0x01 && bytes[2] === 0x00 && bytes[3] === 0x02 && bytes[4] === 0 && bytes[5] === 0;
}

/** RFC 5952 text of an IPv6 address (what nmap, ip and the labels compare), or undefined. */
export function canonicalV6(address: string): string | undefined {
  const bytes = address.includes(':') ? v6FromText(address) : undefined;
  return bytes && v6ToText(bytes);
}

/** The address as a 32-bit number, or undefined when it is not dotted IPv4. */
export const ipv4ToInt = v4FromText;


/** True for an IPv4 address inside 198.18.0.0/15. */
export function isInLabRange(address: string): boolean {
  const value = ipv4ToInt(address);
  if (value === undefined) return false;
  const network = ipv4ToInt(LAB_NETWORK)!;
  const mask = (0xffffffff << (32 - LAB_PREFIX_LENGTH)) >>> 0;
  return ((value & mask) >>> 0) === network;
}

/** A MAC derived from the host's index, locally administered (02:...), so captures are repeatable. */
export function labMac(index: number): string {
  const n = 10 + index;
  return `02:5c:a1:ab:${(n >> 8).toString(16).padStart(2, '0')}:${(n & 0xff).toString(16).padStart(2, '0')}`;
}
