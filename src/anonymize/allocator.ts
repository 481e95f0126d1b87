// How fresh fake addresses are made. Each mode (faker, prefix) implements this; the mapping
// (address-mapping.ts) owns the tables, the class rules and the collision checks.

export interface Allocator {
  /** Candidate for an IPv4 address; `attempt` counts retries after a collision. */
  v4(orig: number, linkLocal: boolean, attempt: number): number;
  /** Candidate for an IPv6 unicast address, written into out (16 bytes). */
  v6(orig: Uint8Array, attempt: number, out: Uint8Array): void;
  /** Candidate for a 64-bit link-local interface ID that is not EUI-64, written into out[8..16]. */
  v6InterfaceId(orig: Uint8Array, attempt: number, out: Uint8Array): void;
  /** Candidate for a unicast MAC (I/G and U/L bits are fixed up by the caller). */
  mac(orig: Uint8Array, attempt: number, out: Uint8Array): void;
  /** 24-bit solicited-node suffix for a suffix whose unicast address was never seen. */
  solicited(orig: number, attempt: number): number;
}
