// Which bytes of a packet hold only numbers (never an address): what verify-anon may call a
// coincidence when an original address's raw bytes turn up there.
import { describe, expect, test } from 'vitest';
import { coincidenceField, headerFieldSpans, numberFieldSpans, spanHolding } from '../../src/anonymize/number-fields.ts';
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

  test('ICMP: echo identifier and sequence are numbers; an error\'s second word is not claimed, its quote\'s numbers are', () => {
    const echo = numberFieldSpans(eth4(f.ipv4(A, V, 1, f.icmp(8, 0, [0, 1, 0, 2], new Uint8Array(8)))), LINKTYPE.ETHERNET);
    expect(echo.slice(2)).toEqual([[34, 38, 'ICMP type, code and checksum'], [38, 42, 'ICMP echo identifier and sequence']]);
    const probe = f.ipv4(A, V, 17, f.udp(A, V, 40000, 33434, new Uint8Array(4)));
    const error = numberFieldSpans(eth4(f.ipv4(V, A, 1, f.icmp(3, 3, [0, 0, 0, 0], probe))), LINKTYPE.ETHERNET);
    expect(error.slice(2)).toEqual([[34, 38, 'ICMP type, code and checksum'], [42, 54, 'quoted IPv4 header numbers'], [62, 70, 'quoted UDP header']]);
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
    expect(numberFieldSpans(eth4(f.ipv4(A, V, 17, new Uint8Array(8))), LINKTYPE.LINUX_SLL)).toEqual([[0, 6, 'Linux cooked header numbers'], [14, 16, 'Linux cooked protocol']]);
    expect(numberFieldSpans(eth4(f.ipv4(A, V, 17, new Uint8Array(8))), 147)).toEqual([]); // a user link type: nothing claimed
  });

  test('a match counts only when it lies wholly inside one span', () => {
    const spans = numberFieldSpans(eth4(f.ipv4(A, V, 6, f.tcp(A, V, 1, 2, 0x02))), LINKTYPE.ETHERNET);
    expect(spanHolding(spans, 38, 42)?.[2]).toBe('TCP header'); // the sequence number
    expect(spanHolding(spans, 24, 28)).toBeUndefined(); // IPv4 checksum and half the source address
    expect(spanHolding(spans, 10, 14)).toBeUndefined(); // end of a MAC and the EtherType
  });
});

describe('DNS fields and matches across fields', () => {
  // A DNS response from the victim: header, question, one A record whose data is an address.
  const answer = f.dns(0xc612, true, { name: 'victim.lab', type: 1 }, [{ type: 1, rdata: [198, 18, 0, 10] }]);
  const frame = eth4(f.ipv4(V, A, 17, f.udp(V, A, 53, 40000, answer)));
  const dnsAt = 14 + 20 + 8;
  const spans = headerFieldSpans(frame, LINKTYPE.ETHERNET);

  test('the DNS header, question type and class, record type/class/TTL/length are numbers; A data is an address', () => {
    const nameLength = f.dnsName('victim.lab').length;
    const question = dnsAt + 12 + nameLength;
    expect(spans.filter((s) => s[2].startsWith('DNS'))).toEqual([
      [dnsAt, dnsAt + 12, 'DNS header'],
      [question - 1, question, 'DNS name end'],
      [question, question + 4, 'DNS question type and class'],
      [question + 4, question + 6, 'DNS name pointer'],
      [question + 6, question + 16, 'DNS record type, class, TTL and length'],
      [question + 16, question + 20, 'DNS A record data', true],
    ]);
  });

  test('a match in the DNS header, or across the UDP and DNS headers, is a coincidence', () => {
    expect(coincidenceField(spans, dnsAt, dnsAt + 4)).toBe('DNS header'); // id and flags
    expect(coincidenceField(spans, dnsAt - 2, dnsAt + 2)).toBe('across the UDP header and the DNS header'); // UDP checksum, DNS id
  });

  test('a match across a MAC and the EtherType, or a checksum and half an address, is a coincidence', () => {
    expect(coincidenceField(spans, 7, 13)).toBe('across the source MAC and the EtherType');
    expect(coincidenceField(spans, 24, 28)).toBe('across the IPv4 header numbers and the IPv4 source');
  });

  test('a match wholly inside one address field, or reaching into a name or payload, stays a leak', () => {
    const rdata = spans.find((s) => s[2] === 'DNS A record data')!;
    expect(coincidenceField(spans, rdata[0], rdata[1])).toBeUndefined(); // an A record's address
    expect(coincidenceField(spans, 26, 30)).toBeUndefined(); // the IPv4 source itself
    expect(coincidenceField(spans, 27, 29)).toBeUndefined(); // inside it, unaligned (6to4, NAT64 style)
    expect(coincidenceField(spans, dnsAt + 10, dnsAt + 14)).toBeUndefined(); // header end into the name text
    expect(coincidenceField(spans, rdata[1] - 2, rdata[1] + 2)).toBeUndefined(); // past the last field
  });

  test('a DNS message that lies about its counts or lengths is parsed only as far as it is whole', () => {
    const broken = Uint8Array.from(answer);
    broken[7] = 0xff; // 255 answers claimed
    const cut = eth4(f.ipv4(V, A, 17, f.udp(V, A, 53, 40000, broken.subarray(0, broken.length - 3))));
    const dnsSpans = headerFieldSpans(cut, LINKTYPE.ETHERNET).filter((s) => s[2].startsWith('DNS'));
    expect(dnsSpans.every(([start, end]) => end <= cut.length && start >= dnsAt)).toBe(true);
    expect(dnsSpans.map((s) => s[2])).not.toContain('DNS A record data');
  });
});
