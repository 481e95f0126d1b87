// Wireshark-like protocol names ("DNS", "TLSv1.3", "TCP", ...) interned as small codes, so the
// protocol column is a Uint16Array. Known names get fixed codes (PROTO); others are added as met.

/** Names with fixed codes, in code order (code 0 = unknown/empty). */
const KNOWN = [
  '', 'ARP', 'RARP', 'IPv4', 'IPv6', 'TCP', 'UDP', 'ICMP', 'ICMPv6', 'IGMPv1', 'IGMPv2', 'IGMPv3', 'DNS', 'MDNS',
  'LLMNR', 'NBNS', 'NBDS', 'DHCP', 'DHCPv6', 'NTP', 'SSDP', 'SNMP', 'TFTP', 'SYSLOG', 'STUN', 'QUIC', 'HTTP', 'SSH',
  'SSHv2', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3', 'SSL', 'STP', 'LLC', 'LLDP', 'EAPOL', 'VRRP', 'ESP', 'GRE',
  'SCTP', 'Portmap', 'OSPF', 'PIM',
] as const;

export type KnownProtocol = (typeof KNOWN)[number];

/** Fixed codes: PROTO.DNS, PROTO['TLSv1.3'], ... */
export const PROTO = Object.fromEntries(KNOWN.map((name, code) => [name === '' ? 'UNKNOWN' : name, code])) as Record<
  Exclude<KnownProtocol, ''> | 'UNKNOWN',
  number
>;

export class ProtocolTable {
  private readonly names: string[] = [...KNOWN];
  private readonly codes = new Map<string, number>(KNOWN.map((n, i) => [n, i]));

  /** Code of a name, adding it when new. */
  code(name: string): number {
    let code = this.codes.get(name);
    if (code === undefined) {
      code = this.names.length;
      if (code > 0xffff) throw new RangeError('more than 65535 protocol names');
      this.names.push(name);
      this.codes.set(name, code);
    }
    return code;
  }

  name(code: number): string {
    return this.names[code] ?? '';
  }

  get size(): number {
    return this.names.length;
  }
}
