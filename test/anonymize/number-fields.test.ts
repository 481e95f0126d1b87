// Which bytes of a packet hold only numbers (never an address): what verify-anon may call a
// coincidence when an original address's raw bytes turn up there.
import { describe, expect, test } from 'vitest';
import { numberFieldSpans, spanHolding } from '../../src/anonymize/number-fields.ts';
import { LINKTYPE } from '../../src/capture/pcap-file.ts';
import * as f from './fixtures/frames.ts';

const A = '198.18.0.66';
const V = '198.18.0.10';
const eth4 = (ip: Uint8Array) => f.ethernet('02:00:00:00:00:01', '02:00:00:00:00:02', 0x0800, ip);

describe('numberFieldSpans', () => {
  test('TCP with options over IPv4 over Ethernet: EtherType, the IPv4 numbers, the whole TCP header', () => {
    const frame = eth4(f.ipv4(A, V, 6, f.tcp(A, V, 41000, 80, 0x02, undefined, [2, 4, 5, 0xb4, 8, 10, 1, 2, 3, 4, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0])));
    expect(numberFieldSpans(frame, LINKTYPE.ETHERNET)).toEqual([
      [12, 14, 'EtherType'],
      [14, 26, 'IPv4 header numbers'],
      [34, 34 + 20 + 20, 'TCP header'],
    ]);
  });

  test('ICMP: echo identifier and sequence are numbers; an error\'s second word and quote are not claimed', () => {
    const echo = numberFieldSpans(eth4(f.ipv4(A, V, 1, f.icmp(8, 0, [0, 1, 0, 2], new Uint8Array(8)))), LINKTYPE.ETHERNET);
    expect(echo.slice(2)).toEqual([[34, 38, 'ICMP type, code and checksum'], [38, 42, 'ICMP echo identifier and sequence']]);
    const probe = f.ipv4(A, V, 17, f.udp(A, V, 40000, 33434, new Uint8Array(4)));
    const error = numberFieldSpans(eth4(f.ipv4(V, A, 1, f.icmp(3, 3, [0, 0, 0, 0], probe))), LINKTYPE.ETHERNET);
    expect(error.slice(2)).toEqual([[34, 38, 'ICMP type, code and checksum']]);
  });

  test('UDP, ARP, a later IPv4 fragment, IPv6, raw IP and an unknown link type', () => {
    expect(numberFieldSpans(eth4(f.ipv4(A, V, 17, f.udp(A, V, 1, 2, new Uint8Array(3)))), LINKTYPE.ETHERNET).at(-1)).toEqual([34, 42, 'UDP header']);
    const arp = f.ethernet('ff:ff:ff:ff:ff:ff', '02:00:00:00:00:02', 0x0806, f.arp(1, '02:00:00:00:00:02', A, '00:00:00:00:00:00', V));
    expect(numberFieldSpans(arp, LINKTYPE.ETHERNET)).toEqual([[12, 14, 'EtherType'], [14, 22, 'ARP header numbers']]);
    const fragment = f.ipv4(A, V, 6, new Uint8Array(40));
    fragment[6] = 0x00;
    fragment[7] = 0x10; // offset 16 x 8 bytes: no TCP header in this packet
    expect(numberFieldSpans(fragment, LINKTYPE.RAW)).toEqual([[0, 12, 'IPv4 header numbers']]);
    const v6 = f.ipv6('2001:db8::1', '2001:db8::2', 17, f.udp('2001:db8::1', '2001:db8::2', 5, 6, new Uint8Array(2)));
    expect(numberFieldSpans(v6, LINKTYPE.RAW)).toEqual([[0, 8, 'IPv6 header numbers'], [40, 48, 'UDP header']]);
    expect(numberFieldSpans(eth4(f.ipv4(A, V, 17, new Uint8Array(8))), LINKTYPE.LINUX_SLL)).toEqual([]);
  });

  test('a match counts only when it lies wholly inside one span', () => {
    const spans = numberFieldSpans(eth4(f.ipv4(A, V, 6, f.tcp(A, V, 1, 2, 0x02))), LINKTYPE.ETHERNET);
    expect(spanHolding(spans, 38, 42)?.[2]).toBe('TCP header'); // the sequence number
    expect(spanHolding(spans, 24, 28)).toBeUndefined(); // IPv4 checksum and half the source address
    expect(spanHolding(spans, 10, 14)).toBeUndefined(); // end of a MAC and the EtherType
  });
});
