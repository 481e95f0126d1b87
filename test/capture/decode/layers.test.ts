// Per-layer decoders, as specifications over annotated hex frames (node_pcap's spec style): what
// each layer writes into the packet columns.
import { describe, expect, test } from 'vitest';
import { LINKTYPE } from '../../../src/capture/pcap-file.ts';
import { PACKET_FLAG, TCP_FLAG, NO_ICMP } from '../../../src/capture/decode/columns.ts';
import { ADDRESS_KIND } from '../../../src/capture/decode/address-table.ts';
import { decodeFrames, hex } from './decode-frames.ts';

const ETH_IPV4 = `
  02 00 c6 12 00 0a   # ethernet destination 02:00:c6:12:00:0a
  02 00 c6 12 00 42   # ethernet source      02:00:c6:12:00:42
  08 00               # ether type IPv4
  45 00 00 2c         # version 4, IHL 5, total length 44
  1c 46 40 00         # id 0x1c46, don't fragment
  40 06 00 00         # TTL 64, protocol TCP, checksum
  c6 12 00 42         # source      198.18.0.66
  c6 12 00 0a         # destination 198.18.0.10
`;

const TCP_SYN = `
  c3 50 00 16         # source port 50000, destination port 22
  00 00 30 39         # sequence 12345
  00 00 00 00         # acknowledgement 0
  60 02 04 00         # data offset 6 (24 bytes), flags SYN, window 1024
  00 00 00 00         # checksum, urgent pointer
  02 04 05 b4         # option: MSS 1460
`;

describe('ethernet + ipv4 + tcp', () => {
  test('a SYN probe: addresses, ports, flags, sequence, window, TTL, id, length', () => {
    // Given an Ethernet frame with an IPv4 TCP SYN (+ 2 bytes of Ethernet padding)
    const d = decodeFrames(LINKTYPE.ETHERNET, [hex(ETH_IPV4 + TCP_SYN + '00 00')]);
    // Then
    const c = d.columns;
    expect(d.addresses.text(c.src[0])).toBe('198.18.0.66');
    expect(d.addresses.text(c.dst[0])).toBe('198.18.0.10');
    expect(d.addresses.kind(c.src[0])).toBe(ADDRESS_KIND.IPV4);
    expect([c.etherType[0], c.ipVersion[0], c.ipProto[0]]).toEqual([0x0800, 4, 6]);
    expect([c.srcPort[0], c.dstPort[0]]).toEqual([50000, 22]);
    expect(c.tcpFlags[0]).toBe(TCP_FLAG.SYN);
    expect([c.tcpSeq[0], c.tcpAck[0], c.tcpWindow[0]]).toEqual([12345, 0, 1024]);
    expect([c.ttl[0], c.ipId[0]]).toEqual([64, 0x1c46]);
    expect(c.payloadLen[0]).toBe(0); // padding is not payload: the IP total length says so
    expect(c.wireLen[0]).toBe(14 + 44 + 2);
    expect(d.protocols.name(c.protocol[0])).toBe('TCP');
    expect(c.icmpTypeCode[0]).toBe(NO_ICMP);
    expect(c.flags[0]).toBe(0);
  });

  test('a header cut by the snaplen sets TRUNCATED and keeps what was read', () => {
    const d = decodeFrames(LINKTYPE.ETHERNET, [hex(ETH_IPV4 + TCP_SYN)], { snaplen: 14 + 20 + 10 });
    expect(d.columns.flags[0] & PACKET_FLAG.TRUNCATED).toBeTruthy();
    expect(d.addresses.text(d.columns.src[0])).toBe('198.18.0.66');
    expect([d.columns.srcPort[0], d.columns.dstPort[0]]).toEqual([50000, 22]);
    expect(d.warnings.join()).toMatch(/1 of 1 packets .* headers cut short/);
  });

  test('an 802.1Q VLAN tag is skipped', () => {
    const tagged = hex(`
      02 00 c6 12 00 0a 02 00 c6 12 00 42   # destination, source
      81 00 00 64                           # 802.1Q, VLAN 100
      08 00                                 # ether type IPv4
    ` + ETH_IPV4.split('08 00               # ether type IPv4')[1] + TCP_SYN);
    const d = decodeFrames(LINKTYPE.ETHERNET, [tagged]);
    expect(d.columns.etherType[0]).toBe(0x0800);
    expect(d.columns.dstPort[0]).toBe(22);
  });
});

describe('udp', () => {
  test('a DNS query is named DNS by its port', () => {
    const d = decodeFrames(LINKTYPE.RAW, [
      hex(`
        45 00 00 3d 00 01 00 00 40 11 00 00   # IPv4, total 61, UDP
        c6 12 00 0a c6 12 00 02               # 198.18.0.10 -> 198.18.0.2
        9c 40 00 35 00 29 00 00               # UDP 40000 -> 53, length 41
        12 34 01 00 00 01 00 00 00 00 00 00   # DNS header: id, RD, 1 question
        07 65 78 61 6d 70 6c 65 03 63 6f 6d 00 00 01 00 01   # example.com A IN
        00 00 00 00 00 00 00 00               # (8 more payload bytes)
      `),
    ]);
    const c = d.columns;
    expect([c.ipProto[0], c.srcPort[0], c.dstPort[0], c.payloadLen[0]]).toEqual([17, 40000, 53, 33]);
    expect(d.protocols.name(c.protocol[0])).toBe('DNS');
  });

  test.each([
    [5353, 5353, 'MDNS'],
    [137, 137, 'NBNS'],
    [68, 67, 'DHCP'],
    [40000, 123, 'NTP'],
    [40000, 1900, 'SSDP'],
    [40000, 5004, 'UDP'],
  ])('UDP %i -> %i is %s', (sport, dport, name) => {
    const d = decodeFrames(LINKTYPE.RAW, [
      hex(`45 00 00 20 00 01 00 00 40 11 00 00 c6 12 00 0a c6 12 00 02`),
    ].map((ip) => Uint8Array.from([...ip, sport >> 8, sport & 255, dport >> 8, dport & 255, 0, 12, 0, 0, 1, 2, 3, 4])));
    expect(d.protocols.name(d.columns.protocol[0])).toBe(name);
  });
});

describe('icmp', () => {
  test('port unreachable: type 3 code 3, named ICMP', () => {
    const d = decodeFrames(LINKTYPE.RAW, [
      hex(`
        45 00 00 38 00 00 00 00 40 01 00 00 c6 12 00 0a c6 12 00 42   # IPv4, ICMP, 56 bytes
        03 03 00 00 00 00 00 00                                       # type 3, code 3
        45 00 00 1c 00 01 00 00 40 11 00 00 c6 12 00 42 c6 12 00 0a   # quoted IPv4 header
        9c 40 00 45 00 08 00 00                                       # quoted UDP header
      `),
    ]);
    const c = d.columns;
    expect([c.icmpTypeCode[0] & 0xff, c.icmpTypeCode[0] >> 8]).toEqual([3, 3]);
    expect(d.protocols.name(c.protocol[0])).toBe('ICMP');
    expect([c.srcPort[0], c.dstPort[0]]).toEqual([0, 0]); // the quoted ports are not this packet's
  });
});

describe('ipv6', () => {
  const IPV6 = (next: string, plen: string) => `
    60 00 00 00 ${plen} ${next} 40                 # version 6, payload length, next header, hop limit 64
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # source      2001:db8::1
    20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 42   # destination 2001:db8::42
  `;
  test('ICMPv6 echo request through a hop-by-hop header, addresses interned', () => {
    const d = decodeFrames(LINKTYPE.IPV6, [
      hex(IPV6('00', '00 10') + `
        3a 00 00 00 00 00 00 00   # hop-by-hop: next ICMPv6, length 0 (8 bytes)
        80 00 00 00 00 01 00 01   # ICMPv6 echo request
      `),
      hex(IPV6('3a', '00 08') + `81 00 00 00 00 01 00 01   # echo reply (swap not needed for the test)`),
    ]);
    const c = d.columns;
    expect(d.addresses.text(c.src[0])).toBe('2001:db8::1');
    expect(d.addresses.text(c.dst[0])).toBe('2001:db8::42');
    expect(c.src[1]).toBe(c.src[0]); // one id per address
    expect(d.addresses.kind(c.src[0])).toBe(ADDRESS_KIND.IPV6);
    expect([c.ipVersion[0], c.ipProto[0], c.icmpTypeCode[0], c.ttl[0]]).toEqual([6, 58, 128, 64]);
    expect(d.protocols.name(c.protocol[0])).toBe('ICMPv6');
    expect(d.addresses.lookup('2001:DB8:0::42')).toBe(c.dst[0]);
  });

  test('TCP over IPv6 with a TLS 1.3 ServerHello names the connection TLSv1.3', () => {
    const hello = `
      16 03 03 00 32                     # TLS handshake record, version 1.2 on the record, 50 bytes
      02 00 00 2e 03 03                  # ServerHello, length 46, legacy version 1.2
      ${'00 '.repeat(32)}                # random
      00                                 # session id length 0
      13 01 00                           # cipher TLS_AES_128_GCM_SHA256, no compression
      00 06 00 2b 00 02 03 04            # extensions: supported_versions = TLS 1.3
    `;
    const tcp = `01 bb c3 50 00 00 00 01 00 00 00 01 50 18 01 00 00 00 00 00`;
    const d = decodeFrames(LINKTYPE.IPV6, [hex(IPV6('06', '00 4b') + tcp + hello)]);
    expect(d.protocols.name(d.columns.protocol[0])).toBe('TLSv1.3');
  });
});

describe('arp', () => {
  test('an ARP request keeps the MAC addresses as source and destination', () => {
    const d = decodeFrames(LINKTYPE.ETHERNET, [
      hex(`
        ff ff ff ff ff ff 02 00 c6 12 00 0a 08 06   # broadcast, from 02:00:c6:12:00:0a, ARP
        00 01 08 00 06 04 00 01                     # Ethernet/IPv4, request
        02 00 c6 12 00 0a c6 12 00 0a               # sender MAC, sender IP
        00 00 00 00 00 00 c6 12 00 14               # target MAC, target IP 198.18.0.20
      `),
    ]);
    const c = d.columns;
    expect(d.protocols.name(c.protocol[0])).toBe('ARP');
    expect(d.addresses.text(c.src[0])).toBe('02:00:c6:12:00:0a');
    expect(d.addresses.text(c.dst[0])).toBe('ff:ff:ff:ff:ff:ff');
    expect(d.addresses.kind(c.src[0])).toBe(ADDRESS_KIND.MAC);
    expect(c.ipVersion[0]).toBe(0);
  });
});

describe('linux cooked captures', () => {
  const IP_UDP = `45 00 00 1c 00 01 00 00 40 11 00 00 7f 00 00 01 7f 00 00 02 9c 40 00 35 00 08 00 00`;
  test('SLL (v1): 16-byte header, protocol at byte 14', () => {
    const d = decodeFrames(LINKTYPE.LINUX_SLL, [
      hex(`
        00 00 00 01 00 06          # packet type (host), ARPHRD ether, address length 6
        02 00 00 00 00 01 00 00    # source MAC + 2 bytes padding
        08 00                      # protocol IPv4
      ` + IP_UDP),
    ]);
    expect(d.addresses.text(d.columns.src[0])).toBe('127.0.0.1');
    expect(d.columns.dstPort[0]).toBe(53);
  });
  test('SLL2: 20-byte header, protocol first', () => {
    const d = decodeFrames(LINKTYPE.LINUX_SLL2, [
      hex(`
        08 00 00 00                # protocol IPv4, reserved
        00 00 00 01                # interface index 1
        00 01 00 06                # ARPHRD ether, packet type, address length 6
        02 00 00 00 00 01 00 00    # source MAC + padding
      ` + IP_UDP),
    ]);
    expect(d.addresses.text(d.columns.dst[0])).toBe('127.0.0.2');
    expect(d.protocols.name(d.columns.protocol[0])).toBe('UDP'); // no payload: UDP, as Wireshark
  });
});

describe('unknown link type', () => {
  test('is a UserError naming the file and the link type', () => {
    expect(() => decodeFrames(105, [hex('00 01 02 03')])).toThrowError(/frames\.pcap has link type 105 \(IEEE 802\.11\), which scanlab cannot decode/);
  });
  test('also for an empty capture of that link type', () => {
    expect(() => decodeFrames(147, [])).toThrowError(/link type 147/);
  });
});
