// The exact labeller on hand-built frames: each case is one rule of the labelling, with the
// answer derived by hand from the rule.

import { describe, expect, test } from 'vitest';
import { ExactLabeller } from '../../src/label/exact.ts';
import { LINKTYPE } from '../../src/capture/pcap-file.ts';
import { FLAGS, arpFrame, icmpFrame, macOf, tcpFrame, udpFrame } from '../fixtures/packet-builder.ts';

const V = '198.18.0.10';
const A = '198.18.0.11';
const D = '198.18.0.12';
const C = '198.18.0.13';
const macText = (ip: string) => macOf(ip).map((b) => b.toString(16).padStart(2, '0')).join(':');
const addressOf = (host: string) => ({ victim: V, attacker: A, decoy: D, client: C })[host]!;

/** A frame the attacker put on the wire with a spoofed source: its own MAC, another's address. */
function spoofed(frame: Uint8Array): Uint8Array {
  const copy = frame.slice();
  copy.set(macOf(A), 6);
  return copy;
}

describe('ExactLabeller', () => {
  // Given one attack step from 2.0 s to 3.0 s (1 s of slack each side), and the attacker browsing the victim (benign)
  const labeller = new ExactLabeller(
    [{ name: 'syn-scan', startMs: 2000, endMs: 3000 }],
    [{ host: 'attacker', address: A, mac: macText(A), servicePorts: [] }],
    [{ host: 'attacker', protocol: 'tcp', localPort: 40000, remote: V, remotePort: 80, startMs: 500, endMs: 5000 }],
    V,
    addressOf,
  );
  const probe = tcpFrame({ ip: A, port: 55555 }, { ip: V, port: 22 }, FLAGS.SYN, { id: 1, seq: 100 });
  const decoyProbe = spoofed(tcpFrame({ ip: D, port: 55555 }, { ip: V, port: 23 }, FLAGS.SYN, { id: 2, seq: 200 }));
  const udpProbe = udpFrame({ ip: A, port: 55556 }, { ip: V, port: 9999 }, 0, 3);
  const browse = tcpFrame({ ip: A, port: 40000 }, { ip: V, port: 80 }, FLAGS.SYN, { id: 4, seq: 300 });
  const echo = icmpFrame(A, V, 8, 0, new Uint8Array(8));
  const lost = tcpFrame({ ip: A, port: 55555 }, { ip: V, port: 24 }, FLAGS.SYN, { id: 9, seq: 900 });
  const arpInStep = arpFrame(A, V, false);
  // What the attacker's own capture holds (emitted frames)
  labeller.addAttackerFrame(arpFrame(A, C, false), LINKTYPE.ETHERNET, 100);
  labeller.addAttackerFrame(browse, LINKTYPE.ETHERNET, 600);
  labeller.addAttackerFrame(arpInStep, LINKTYPE.ETHERNET, 2050);
  labeller.addAttackerFrame(probe, LINKTYPE.ETHERNET, 2100);
  labeller.addAttackerFrame(decoyProbe, LINKTYPE.ETHERNET, 2101);
  labeller.addAttackerFrame(udpProbe, LINKTYPE.ETHERNET, 2200);
  labeller.addAttackerFrame(echo, LINKTYPE.ETHERNET, 2300);
  labeller.addAttackerFrame(lost, LINKTYPE.ETHERNET, 2400);

  // What the victim saw, in order, and the label each must get
  const victim: [string, Uint8Array, number, 'scan' | 'benign'][] = [
    ['the attacker ARPs outside any step', arpFrame(A, C, false), 100, 'benign'],
    ['the attacker browses', browse, 600, 'benign'],
    ['the victim answers the browsing', tcpFrame({ ip: V, port: 80 }, { ip: A, port: 40000 }, FLAGS.SYN | FLAGS.ACK, { id: 5 }), 601, 'benign'],
    ['the attacker ARPs during the step', arpInStep, 2050, 'scan'],
    ['the victim answers that ARP', arpFrame(V, A, true), 2051, 'scan'],
    ['a SYN probe', probe, 2100, 'scan'],
    ['the victim\'s SYN-ACK to it', tcpFrame({ ip: V, port: 22 }, { ip: A, port: 55555 }, FLAGS.SYN | FLAGS.ACK, { id: 6 }), 2100, 'scan'],
    ['a spoofed decoy probe', decoyProbe, 2101, 'scan'],
    ['the victim\'s RST to the decoy', tcpFrame({ ip: V, port: 23 }, { ip: D, port: 55555 }, FLAGS.RST | FLAGS.ACK, { id: 7 }), 2102, 'scan'],
    ['the decoy host\'s own packet to the victim', tcpFrame({ ip: D, port: 55555 }, { ip: V, port: 23 }, FLAGS.RST, { id: 70 }), 2103, 'benign'],
    ['a UDP probe', udpProbe, 2200, 'scan'],
    ['the ICMP port unreachable quoting it', icmpFrame(V, A, 3, 3, udpProbe.slice(14, 14 + 28)), 2201, 'scan'],
    ['an echo request', echo, 2300, 'scan'],
    ['the echo reply', icmpFrame(V, A, 0, 0, new Uint8Array(8)), 2301, 'scan'],
    ['a client\'s connection', tcpFrame({ ip: C, port: 50000 }, { ip: V, port: 80 }, FLAGS.SYN, { id: 8 }), 2500, 'benign'],
    ['a victim RST to the attacker that answers no probe', tcpFrame({ ip: V, port: 99 }, { ip: A, port: 55555 }, FLAGS.RST, { id: 10 }), 2600, 'benign'],
  ];
  victim.forEach(([, frame, ms]) => labeller.addVictimFrame(frame, LINKTYPE.ETHERNET, ms));

  test.each(victim.map(([what, , , expected], i) => [what, i, expected] as const))('%s: packet %i is %s', (_what, i, expected) => {
    expect(labeller.labels[i] === 1 ? 'scan' : 'benign').toBe(expected);
    if (expected === 'scan') expect(labeller.stepOf[i]).toBe(0);
  });

  test('the report counts where the naive rule is wrong and what matched nothing', () => {
    const report = labeller.report();
    expect(report.scan).toBe(victim.filter((v) => v[3] === 'scan').length);
    // Naive scan but benign: the ARP outside the step, the browsing both ways, the stray RST
    expect(report.naive.naiveScanExactBenign).toBe(4);
    // Naive benign but scan: the decoy probe and the victim's reply to the decoy
    expect(report.naive.naiveBenignExactScan).toBe(2);
    // The probe to port 24 never reached the victim; the RST from port 99 answers no probe
    expect(report.unmatched).toEqual({ attackerPacketsMissingAtVictim: 1, victimRepliesUnmatched: 1 });
    expect(report.emitted.attacker).toEqual({ scan: 6, benign: 2 });
  });

  test('labels.csv keys on the 1-based packet number', () => {
    const lines = labeller.csv().trim().split('\n');
    expect(lines[0]).toBe('no,label,step');
    expect(lines).toHaveLength(victim.length + 1);
    expect(lines[1]).toBe('1,benign,');
    expect(lines[6]).toBe('6,scan,syn-scan');
  });
});
