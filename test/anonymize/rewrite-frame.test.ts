// The packet rewriter on hand-built frames: every place an address hides is mapped with the
// one mapping, checksums stay right, what is not understood is cut.

import { describe, expect, test } from 'vitest';
import { AddressCollector } from '../../src/anonymize/address-collector.ts';
import { makeMapping, newRewriteContext } from '../../src/anonymize/anonymize-capture.ts';
import { macToText, v4ToText, v6ToText } from '../../src/util/address-text.ts';
import { finish, get16, get32, sum16 } from '../../src/anonymize/checksum.ts';
import { rewriteFrame } from '../../src/anonymize/rewrite-frame.ts';
import { LINKTYPE } from '../../src/capture/pcap-file.ts';
import * as f from './fixtures/frames.ts';
import { LAB, labFrames } from './fixtures/lab-capture.ts';

const frames = labFrames();
const mapping = makeMapping({ mode: 'faker', seed: 11 });
// First pass, as anonymizeCapture does: the mapping sees every address before the rewrite.
const collector = new AddressCollector();
for (const fr of frames) rewriteFrame(fr, LINKTYPE.ETHERNET, new Uint8Array(1 << 17), newRewriteContext(collector, { mode: 'faker', seed: 11 }), { capLen: 0, lenDelta: 0 });
mapping.prepare(collector);
const v4 = (t: string) => v4ToText(mapping.v4(get32(f.ip4(t), 0)));
const mac = (t: string) => { const b = f.mac(t); mapping.mac(b, 0); return macToText(b); };
const v6 = (t: string) => { const b = f.ip6(t); mapping.v6(b, 0); return v6ToText(b); };

function rewrite(frame: Uint8Array, options: { keepPayload?: boolean } = {}) {
  const ctx = newRewriteContext(mapping, { mode: 'faker', seed: 11, ...options });
  const out = new Uint8Array(1 << 17);
  const res = { capLen: 0, lenDelta: 0 };
  rewriteFrame(frame, LINKTYPE.ETHERNET, out, ctx, res);
  return { b: out.subarray(0, res.capLen), lenDelta: res.lenDelta };
}
const ip4At = (b: Uint8Array, o: number) => v4ToText(get32(b, o));
const ipv4HeaderOk = (b: Uint8Array, o: number) => finish(sum16(b, o, o + 20)) === 0;
function transportOk(b: Uint8Array, ip: number, v6: boolean): boolean {
  const t = ip + (v6 ? 40 : 20);
  const len = b.length - t;
  const pseudo = v6 ? sum16(b, ip + 8, ip + 40) + len + b[ip + 6] : sum16(b, ip + 12, ip + 20) + len + b[ip + 9];
  return finish(pseudo + sum16(b, t, b.length)) === 0;
}

describe('rewriteFrame', () => {
  test('ARP: sender and target hardware and protocol addresses use the one mapping', () => {
    const { b } = rewrite(frames[1]);
    expect(macToText(b, 14 + 8)).toBe(mac(LAB.victim.mac));
    expect(ip4At(b, 14 + 14)).toBe(v4(LAB.victim.v4));
    expect(macToText(b, 14 + 18)).toBe(mac(LAB.attacker.mac));
    expect(ip4At(b, 14 + 24)).toBe(v4(LAB.attacker.v4));
    expect(macToText(b, 6)).toBe(mac(LAB.victim.mac));
  });

  test('ARP request: broadcast and the all-zero target MAC stay', () => {
    const { b } = rewrite(frames[0]);
    expect(macToText(b, 0)).toBe('ff:ff:ff:ff:ff:ff');
    expect(macToText(b, 14 + 18)).toBe('00:00:00:00:00:00');
  });

  test('ICMP port unreachable: quoted IP header and its checksum rewritten, quoted UDP checksum updated, quote cut after 8 bytes', () => {
    const { b } = rewrite(frames[3]);
    const q = 14 + 20 + 8;
    expect(ip4At(b, 14 + 12)).toBe(v4(LAB.victim.v4));
    expect(ip4At(b, q + 12)).toBe(v4(LAB.attacker.v4));
    expect(ip4At(b, q + 16)).toBe(v4(LAB.victim.v4));
    expect(ipv4HeaderOk(b, 14)).toBe(true);
    expect(ipv4HeaderOk(b, q)).toBe(true);
    expect(b.length).toBe(q + 20 + 8);
    // The quoted UDP checksum is the one the anonymized probe (frame 3) carries.
    const probe = rewrite(frames[2], { keepPayload: true }).b;
    expect(get16(b, q + 20 + 6)).toBe(get16(probe, 14 + 20 + 6));
    expect(transportOk(probe, 14, false)).toBe(true);
  });

  test('ICMP error checksum stays right for the whole message when the quote is kept', () => {
    const { b } = rewrite(frames[3], { keepPayload: true });
    expect(b.length).toBe(frames[3].length);
    expect(finish(sum16(b, 34, b.length))).toBe(0);
  });

  test('neighbour solicitation: EUI-64 source, solicited-node destination and its MAC, target and option follow the mapping', () => {
    const { b } = rewrite(frames[4]);
    const target = v6(LAB.victim.v6);
    const t = f.ip6(target);
    const suffix = [t[13], t[14], t[15]];
    expect(macToText(b, 0)).toBe(`33:33:ff:${suffix.map((x) => x.toString(16).padStart(2, '0')).join(':')}`);
    expect(Array.from(b.subarray(14 + 24 + 13, 14 + 40))).toEqual(suffix);
    expect(v6ToText(b, 14 + 40 + 8)).toBe(target);
    expect(macToText(b, 14 + 40 + 24 + 2)).toBe(mac(LAB.attacker.mac));
    const mapped = f.mac(mac(LAB.attacker.mac));
    expect(Array.from(b.subarray(14 + 8 + 8, 14 + 8 + 16))).toEqual([mapped[0] ^ 2, mapped[1], mapped[2], 0xff, 0xfe, mapped[3], mapped[4], mapped[5]]);
    expect(transportOk(b, 14, true)).toBe(true);
  });

  test('DHCP: address fields, chaddr and options mapped; host name dropped; length kept; checksum right', () => {
    const { b } = rewrite(frames[7]);
    const d = 14 + 20 + 8;
    expect(b.length).toBe(frames[7].length);
    expect(ip4At(b, d + 16)).toBe(v4(LAB.victim.v4));
    expect(ip4At(b, d + 20)).toBe(v4(LAB.router.v4));
    expect(macToText(b, d + 28)).toBe(mac(LAB.victim.mac));
    expect(b.subarray(d + 44, d + 236).every((x) => x === 0)).toBe(true);
    expect(transportOk(b, 14, false)).toBe(true);
    const discover = rewrite(frames[6]).b;
    expect(new TextDecoder().decode(discover)).not.toContain('victim');
  });

  test('DNS: A and AAAA records and in-addr.arpa names mapped, names kept, lengths fixed', () => {
    const ans = rewrite(frames[9]);
    const text = Buffer.from(ans.b).toString('latin1');
    expect(text).toContain('attacker');
    expect(transportOk(ans.b, 14, false)).toBe(true);
    expect(get16(ans.b, 14 + 2)).toBe(ans.b.length - 14);
    const a = f.ip4(v4(LAB.attacker.v4));
    expect(Buffer.from(ans.b).indexOf(Buffer.from(a))).toBeGreaterThan(14 + 20 + 8);
    expect(Buffer.from(ans.b).indexOf(Buffer.from(f.ip6(v6(LAB.attacker.v6))))).toBeGreaterThan(14 + 20 + 8);
    const ptr = rewrite(frames[11]);
    const reversed = v4(LAB.attacker.v4).split('.').reverse();
    const wire = reversed.flatMap((l) => [l.length, ...Buffer.from(l)]);
    expect(Buffer.from(ptr.b).indexOf(Buffer.from(wire))).toBeGreaterThan(0);
    expect(ptr.lenDelta).toBe(ptr.b.length - frames[11].length);
  });

  test('TCP: payload cut, wire length kept, checksum updated for the packet on the wire', () => {
    const { b } = rewrite(frames[14]);
    expect(b.length).toBe(14 + 20 + 20);
    expect(get16(b, 14 + 2)).toBe(frames[14].length - 14);
    const full = rewrite(frames[14], { keepPayload: true }).b;
    expect(get16(b, 14 + 20 + 16)).toBe(get16(full, 14 + 20 + 16));
    expect(transportOk(full, 14, false)).toBe(true);
  });

  test('TCP: unknown options become NOPs', () => {
    const frame = f.ethernet('02:00:00:00:00:01', '02:00:00:00:00:02', 0x0800,
      f.ipv4('198.18.0.1', '198.18.0.2', 6, f.tcp('198.18.0.1', '198.18.0.2', 1, 2, 0x02, undefined, [30, 8, 0x30, 0, 198, 18, 0, 1, 1, 1, 1, 0])));
    const { b } = rewrite(frame);
    expect(Array.from(b.subarray(54, 62))).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(transportOk(b, 14, false)).toBe(true);
  });

  test('cuts what it does not understand: unknown ethertype, IGMP, GRE', () => {
    expect(rewrite(f.ethernet('02:00:00:00:00:01', '02:00:00:00:00:02', 0x88b5, new Uint8Array(40).fill(7))).b.length).toBe(14);
    expect(rewrite(f.ethernet('02:00:00:00:00:01', '02:00:00:00:00:02', 0x0800, f.ipv4('198.18.0.1', '198.18.0.2', 47, new Uint8Array(24)))).b.length).toBe(34);
  });
});
