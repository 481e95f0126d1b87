// Which addresses keep their class (and value) through anonymization, and which are mapped.
// One definition shared by the mapper and by verify-anon, so "what counts as a leak" and "what
// the mapper changes" can never drift apart.
//
// Kept as they are (they name no host):
//   IPv4  0.0.0.0/8 (unspecified, "this network"), 127.0.0.0/8 (loopback), 224.0.0.0/4
//         (multicast), 240.0.0.0/4 (reserved, includes 255.255.255.255 broadcast)
//   IPv6  :: (unspecified), ::1 (loopback), ff00::/8 multicast EXCEPT solicited-node
//         ff02::1:ffXX:XXXX, whose low 24 bits come from a unicast address and are rewritten
//   MAC   00:00:00:00:00:00, group addresses (I/G bit set, includes ff:ff:ff:ff:ff:ff) EXCEPT
//         33:33:ff:XX:XX:XX (solicited-node multicast MAC), whose low 24 bits are rewritten
// Mapped inside their class:
//   IPv4  169.254.0.0/16 link-local stays in 169.254.0.0/16
//   IPv6  fe80::/10 link-local keeps its first 64 bits; the interface ID is mapped (an EUI-64
//         interface ID becomes the EUI-64 of the mapped MAC)
// Everything else is ordinary unicast and mapped.

export type V4Class = 'kept' | 'link-local' | 'unicast';
export type V6Class = 'kept' | 'solicited-node' | 'link-local' | 'v4-mapped' | 'unicast';
export type MacClass = 'kept' | 'solicited-node' | 'unicast';

export function classifyV4(addr: number): V4Class {
  const a = addr >>> 24;
  if (a === 0 || a === 127 || a >= 224) return 'kept';
  if (a === 169 && ((addr >>> 16) & 0xff) === 254) return 'link-local';
  return 'unicast';
}

const SOLICITED_PREFIX = [0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff];

export function classifyV6(b: Uint8Array, o: number): V6Class {
  const b0 = b[o];
  if (b0 === 0xff) {
    for (let i = 1; i < 13; i++) if (b[o + i] !== SOLICITED_PREFIX[i]) return 'kept';
    return 'solicited-node';
  }
  if (b0 === 0xfe && (b[o + 1] & 0xc0) === 0x80) return 'link-local';
  if (b0 === 0) {
    let zeros = true;
    for (let i = 1; i < 15; i++) if (b[o + i] !== 0) { zeros = false; break; }
    if (zeros && (b[o + 15] === 0 || b[o + 15] === 1)) return 'kept';
    let mapped = true;
    for (let i = 1; i < 10; i++) if (b[o + i] !== 0) { mapped = false; break; }
    if (mapped && b[o + 10] === 0xff && b[o + 11] === 0xff) return 'v4-mapped';
  }
  return 'unicast';
}

export function classifyMac(b: Uint8Array, o: number): MacClass {
  const b0 = b[o];
  if (b0 & 1) {
    return b0 === 0x33 && b[o + 1] === 0x33 && b[o + 2] === 0xff ? 'solicited-node' : 'kept';
  }
  if (b0 === 0 && b[o + 1] === 0 && b[o + 2] === 0 && b[o + 3] === 0 && b[o + 4] === 0 && b[o + 5] === 0) return 'kept';
  return 'unicast';
}

/** True when an IPv6 interface ID (8 bytes at `o`) has the EUI-64 ff:fe marker. */
export function isEui64(b: Uint8Array, o: number): boolean {
  return b[o + 3] === 0xff && b[o + 4] === 0xfe;
}

/** The MAC an EUI-64 interface ID was made from (U/L bit flipped back). */
export function macFromEui64(b: Uint8Array, o: number, out: Uint8Array, outOff: number): void {
  out[outOff] = b[o] ^ 0x02;
  out[outOff + 1] = b[o + 1];
  out[outOff + 2] = b[o + 2];
  out[outOff + 3] = b[o + 5];
  out[outOff + 4] = b[o + 6];
  out[outOff + 5] = b[o + 7];
}

/** Writes the EUI-64 interface ID of a MAC. */
export function eui64FromMac(mac: Uint8Array, o: number, out: Uint8Array, outOff: number): void {
  out[outOff] = mac[o] ^ 0x02;
  out[outOff + 1] = mac[o + 1];
  out[outOff + 2] = mac[o + 2];
  out[outOff + 3] = 0xff;
  out[outOff + 4] = 0xfe;
  out[outOff + 5] = mac[o + 3];
  out[outOff + 6] = mac[o + 4];
  out[outOff + 7] = mac[o + 5];
}
