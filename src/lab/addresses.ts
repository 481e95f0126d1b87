// Lab addressing. Every lab address lives in 198.18.0.0/15 (RFC 2544, set aside for network
// benchmark tests): it cannot clash with a real LAN and nothing real answers there.

import { v4FromText } from '../util/address-text.ts';

export const LAB_NETWORK = '198.18.0.0';
export const LAB_PREFIX_LENGTH = 15;
/** Hosts share one /16 inside the lab range; the mask the interfaces get. */
export const HOST_PREFIX_LENGTH = 16;

/** Address of the i-th host of a scenario: 198.18.0.10, .11, ... (stable for a given host order). */
export function labAddress(index: number): string {
  const n = 10 + index;
  return `198.18.${Math.floor(n / 256)}.${n % 256}`;
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
