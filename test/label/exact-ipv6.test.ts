// The exact labeller on hand-built IPv6 frames of a lab with IPv6 (2001:2::/48): the same rules
// as IPv4's (test/label/exact.test.ts), neighbour discovery as ARP, and the kernels' MLD and
// router solicitations never taken for probes. Each answer is derived by hand from the rule.

import { describe, expect, test } from 'vitest';
import { ExactLabeller } from '../../src/label/exact.ts';
import { Ipv6Numbers, KIND, emptyFields, readFrameFields } from '../../src/label/frame-fields.ts';
import { LINKTYPE } from '../../src/capture/pcap-file.ts';
import * as f from '../anonymize/fixtures/frames.ts';
import { linkLocal, solicitedMac, solicitedNode } from '../anonymize/fixtures/lab-capture.ts';

const V = { v4: '198.18.0.10', v6: '2001:2::a', mac: '02:5c:a1:ab:00:0a' };
const A = { v4: '198.18.0.11', v6: '2001:2::b', mac: '02:5c:a1:ab:00:0b' };
const C = { v4: '198.18.0.12', v6: '2001:2::c', mac: '02:5c:a1:ab:00:0c' };
const hosts: Record<string, typeof V> = { victim: V, attacker: A, client: C };

const SYN = 0x02;
const RST_ACK = 0x14;
const SYN_ACK = 0x12;
/** An IPv6 frame from one host to another (Ethernet addresses of the two hosts). */
const frame6 = (from: typeof V, to: typeof V, next: number, payload: Uint8Array, dstMac = to.mac) => f.ethernet(dstMac, from.mac, 0x86dd, f.ipv6(from.v6, to.v6, next, payload));
const tcp6 = (from: typeof V, sport: number, to: typeof V, dport: number, flags: number) => frame6(from, to, 6, f.tcp(from.v6, to.v6, sport, dport, flags));
const udp6 = (from: typeof V, sport: number, to: typeof V, dport: number) => frame6(from, to, 17, f.udp(from.v6, to.v6, sport, dport, f.bytes([1, 2, 3])));
const echo6 = (from: typeof V, to: typeof V, type: number) => frame6(from, to, 58, f.icmpv6(from.v6, to.v6, type, 0, f.bytes([0x12, 0x34, 0, 1])));
/** A neighbour solicitation from `from`'s global address for `target`, to its solicited-node group. */
const solicit = (from: typeof V, target: typeof V) =>
  f.ethernet(solicitedMac(target.v6), from.mac, 0x86dd, f.ipv6(from.v6, solicitedNode(target.v6), 58, f.icmpv6(from.v6, solicitedNode(target.v6), 135, 0, f.neighborSolicitation(target.v6, from.mac)), 255));
const advertise = (from: typeof V, to: typeof V) => frame6(from, to, 58, f.icmpv6(from.v6, to.v6, 136, 0, f.neighborAdvertisement(from.v6, from.mac)));
/** The kernel's MLDv2 report for a solicited-node group, from the link-local address, to ff02::16. */
const mldReport = (from: typeof V) => {
  const record = f.bytes([4, 0, 0, 0], f.ip6(solicitedNode(from.v6)));
  const ll = linkLocal(from.mac);
  return f.ethernet('33:33:00:00:00:16', from.mac, 0x86dd, f.ipv6(ll, 'ff02::16', 58, f.icmpv6(ll, 'ff02::16', 143, 0, f.bytes([0, 0, 0, 1], record)), 1));
};
const routerSolicitation = (from: typeof V) => {
  const ll = linkLocal(from.mac);
  return f.ethernet('33:33:00:00:00:02', from.mac, 0x86dd, f.ipv6(ll, 'ff02::2', 58, f.icmpv6(ll, 'ff02::2', 133, 0, f.bytes([0, 0, 0, 0])), 255));
};

describe('IPv6 frame fields', () => {
  test('IPv6 addresses get numbers of their own, the same in every frame, apart from IPv4 numbers', () => {
    const numbers = new Ipv6Numbers();
    const a = readFrameFields(tcp6(A, 50000, V, 22, SYN), LINKTYPE.ETHERNET, emptyFields(), numbers);
    expect(a.kind).toBe(KIND.IPV6);
    expect([a.proto, a.srcPort, a.dstPort, a.seq, a.tcpFlags]).toEqual([6, 50000, 22, 1000, SYN]);
    expect(a.src).toBe(numbers.ofText('2001:2:0::b'));
    expect(a.dst).toBe(numbers.ofText(V.v6));
    expect(a.src).not.toBe(a.dst);
    // 240.0.0.0 and up: IPv4's reserved class E, never a lab address
    expect(a.src).toBeGreaterThanOrEqual(0xf0000000);
  });

  test('without a numbering table IPv6 stays "other", as before IPv6 labs', () => {
    expect(readFrameFields(tcp6(A, 50000, V, 22, SYN), LINKTYPE.ETHERNET, emptyFields()).kind).toBe(KIND.OTHER);
  });

  test('a neighbour solicitation reads as an ARP request for its target; MLD and router solicitations as nothing to match', () => {
    const numbers = new Ipv6Numbers();
    const ns = readFrameFields(solicit(A, V), LINKTYPE.ETHERNET, emptyFields(), numbers);
    expect([ns.kind, ns.arpOp, ns.src, ns.dst]).toEqual([KIND.ND, 1, numbers.ofText(A.v6), numbers.ofText(V.v6)]);
    const na = readFrameFields(advertise(V, A), LINKTYPE.ETHERNET, emptyFields(), numbers);
    expect([na.kind, na.arpOp, na.src, na.dst]).toEqual([KIND.ND, 2, numbers.ofText(V.v6), numbers.ofText(A.v6)]);
    expect(readFrameFields(mldReport(A), LINKTYPE.ETHERNET, emptyFields(), numbers).kind).toBe(KIND.OTHER);
    expect(readFrameFields(routerSolicitation(A), LINKTYPE.ETHERNET, emptyFields(), numbers).kind).toBe(KIND.OTHER);
  });
});

describe('ExactLabeller in an IPv6 lab', () => {
  // Given one attack step from 2.0 s to 3.0 s, and the attacker browsing the victim over IPv6 (benign)
  const labeller = new ExactLabeller(
    [{ name: 'syn-scan-v6', startMs: 2000, endMs: 3000 }],
    [{ host: 'attacker', address: A.v4, address6: A.v6, mac: A.mac, servicePorts: [] }],
    [{ host: 'attacker', protocol: 'tcp', localPort: 40000, remote: V.v6, remotePort: 80, startMs: 500, endMs: 5000 }],
    V.v4,
    (host) => hosts[host].v4,
    V.v6,
    (host) => hosts[host].v6,
  );
  const probe = tcp6(A, 55555, V, 22, SYN);
  const udpProbe = udp6(A, 55556, V, 9999);
  const browse = tcp6(A, 40000, V, 80, SYN);
  const lost = tcp6(A, 55555, V, 24, SYN);
  // What the attacker's own capture holds (emitted frames)
  labeller.addAttackerFrame(solicit(A, C), LINKTYPE.ETHERNET, 100);
  labeller.addAttackerFrame(browse, LINKTYPE.ETHERNET, 600);
  labeller.addAttackerFrame(mldReport(A), LINKTYPE.ETHERNET, 2010);
  labeller.addAttackerFrame(solicit(A, V), LINKTYPE.ETHERNET, 2050);
  labeller.addAttackerFrame(probe, LINKTYPE.ETHERNET, 2100);
  labeller.addAttackerFrame(udpProbe, LINKTYPE.ETHERNET, 2200);
  labeller.addAttackerFrame(echo6(A, V, 128), LINKTYPE.ETHERNET, 2300);
  labeller.addAttackerFrame(lost, LINKTYPE.ETHERNET, 2400);

  // What the victim saw, in order, and the label each must get
  const quote = f.ipv6(A.v6, V.v6, 17, f.udp(A.v6, V.v6, 55556, 9999, f.bytes([1, 2, 3])));
  const victim: [string, Uint8Array, number, 'scan' | 'benign'][] = [
    ['the attacker solicits a neighbour outside any step', solicit(A, C), 100, 'benign'],
    ['the attacker browses over IPv6', browse, 600, 'benign'],
    ['the victim answers the browsing', tcp6(V, 80, A, 40000, SYN_ACK), 601, 'benign'],
    ['the attacker kernel\'s MLD report during the step', mldReport(A), 2010, 'benign'],
    ['the victim\'s own router solicitation', routerSolicitation(V), 2020, 'benign'],
    ['the attacker solicits the victim during the step', solicit(A, V), 2050, 'scan'],
    ['the victim\'s advertisement answering it', advertise(V, A), 2051, 'scan'],
    ['a SYN probe to the victim\'s IPv6 address', probe, 2100, 'scan'],
    ['the victim\'s SYN-ACK to it', tcp6(V, 22, A, 55555, SYN_ACK), 2100, 'scan'],
    ['a UDP probe', udpProbe, 2200, 'scan'],
    ['the ICMPv6 port unreachable quoting it', frame6(V, A, 58, f.icmpv6(V.v6, A.v6, 1, 4, f.bytes([0, 0, 0, 0], quote))), 2201, 'scan'],
    ['an ICMPv6 echo request', echo6(A, V, 128), 2300, 'scan'],
    ['the echo reply', echo6(V, A, 129), 2301, 'scan'],
    ['a client\'s IPv6 connection', tcp6(C, 50000, V, 80, SYN), 2500, 'benign'],
    ['a victim RST to the attacker that answers no probe', tcp6(V, 99, A, 55555, RST_ACK), 2600, 'benign'],
  ];
  victim.forEach(([, frame, ms]) => labeller.addVictimFrame(frame, LINKTYPE.ETHERNET, ms));

  test.each(victim.map(([what, , , expected], i) => [what, i, expected] as const))('%s: packet %i is %s', (_what, i, expected) => {
    expect(labeller.labels[i] === 1 ? 'scan' : 'benign').toBe(expected);
    if (expected === 'scan') expect(labeller.stepOf[i]).toBe(0);
  });

  test('the report counts the naive rule over IPv6 addresses and what matched nothing', () => {
    const report = labeller.report();
    expect(report.scan).toBe(victim.filter((v) => v[3] === 'scan').length);
    // Naive scan but benign: the solicitation outside the step, the browsing both ways, the stray RST
    // (the MLD report comes from the link-local address, not the attacker's lab address)
    expect(report.naive.naiveScanExactBenign).toBe(4);
    expect(report.naive.naiveBenignExactScan).toBe(0);
    // The probe to port 24 never reached the victim; the RST from port 99 answers no probe
    expect(report.unmatched).toEqual({ attackerPacketsMissingAtVictim: 1, victimRepliesUnmatched: 1 });
    // Emitted: the in-step solicitation, SYN, UDP, echo and the lost SYN; benign: the early solicitation and the browsing
    expect(report.emitted.attacker).toEqual({ scan: 5, benign: 2 });
  });
});

describe('neighbour discovery across several steps', () => {
  // Given an ND sweep (1-2 s) and a SYN scan (5-6 s): the attacker solicits the victim in both, with the same tuple
  const labeller = new ExactLabeller(
    [{ name: 'nd-sweep', startMs: 1000, endMs: 2000, host: 'attacker' }, { name: 'syn-scan-v6', startMs: 5000, endMs: 6000, host: 'attacker' }],
    [{ host: 'attacker', address: A.v4, address6: A.v6, mac: A.mac, servicePorts: [] }],
    [],
    V.v4,
    (host) => hosts[host].v4,
    V.v6,
    (host) => hosts[host].v6,
  );
  for (const ms of [1500, 5500]) labeller.addAttackerFrame(solicit(A, V), LINKTYPE.ETHERNET, ms);
  const victim: [string, Uint8Array, number, string][] = [
    ['the sweep\'s solicitation', solicit(A, V), 1500, 'nd-sweep'],
    ['the victim\'s advertisement to the sweep', advertise(V, A), 1501, 'nd-sweep'],
    ['the kernel\'s same solicitation between the steps (beyond their 1 s slack)', solicit(A, V), 3500, ''],
    ['the scan\'s solicitation', solicit(A, V), 5500, 'syn-scan-v6'],
    ['the victim\'s advertisement to the scan', advertise(V, A), 5501, 'syn-scan-v6'],
  ];
  victim.forEach(([, frame, ms]) => labeller.addVictimFrame(frame, LINKTYPE.ETHERNET, ms));

  test.each(victim.map(([what, , , step], i) => [what, i, step] as const))('%s: packet %i has step "%s"', (_what, i, step) => {
    expect(labeller.stepOf[i] < 0 ? '' : ['nd-sweep', 'syn-scan-v6'][labeller.stepOf[i]]).toBe(step);
  });
});
