import { describe, expect, test } from 'vitest';
import { AddressCollector } from '../../src/anonymize/address-collector.ts';
import { makeMapping } from '../../src/anonymize/anonymize-capture.ts';
import { macFromText, macToText, v4FromText, v4ToText, v6FromText, v6ToText } from '../../src/util/address-text.ts';
import type { AddressMapping } from '../../src/anonymize/address-mapping.ts';

const v4 = (m: AddressMapping, t: string) => v4ToText(m.v4(v4FromText(t)!));
const v6 = (m: AddressMapping, t: string) => { const b = v6FromText(t)!; m.v6(b, 0); return v6ToText(b); };
const mac = (m: AddressMapping, t: string) => { const b = macFromText(t)!; m.mac(b, 0); return macToText(b); };

describe.each(['faker', 'prefix'] as const)('address mapping, %s mode', (mode) => {
  test('keeps unspecified, loopback, broadcast and multicast addresses as they are', () => {
    const m = makeMapping({ mode, seed: 3 });
    for (const a of ['0.0.0.0', '127.0.0.1', '255.255.255.255', '224.0.0.251', '239.255.255.250']) expect(v4(m, a)).toBe(a);
    for (const a of ['::', '::1', 'ff02::1', 'ff02::fb']) expect(v6(m, a)).toBe(a);
    for (const a of ['ff:ff:ff:ff:ff:ff', '01:00:5e:00:00:fb', '33:33:00:00:00:01', '00:00:00:00:00:00']) expect(mac(m, a)).toBe(a);
  });

  test('keeps link-local addresses link-local', () => {
    const m = makeMapping({ mode, seed: 3 });
    expect(v4(m, '169.254.10.20')).toMatch(/^169\.254\./);
    expect(v4(m, '169.254.10.20')).not.toBe('169.254.10.20');
    expect(v6(m, 'fe80::1234:5678:9abc:def0')).toMatch(/^fe80::/);
  });

  test('maps an EUI-64 link-local address to the EUI-64 of the mapped MAC', () => {
    const m = makeMapping({ mode, seed: 3 });
    const mapped = mac(m, '00:1b:21:3a:4b:5c').split(':');
    const ll = v6(m, 'fe80::21b:21ff:fe3a:4b5c');
    const first = (parseInt(mapped[0], 16) ^ 2).toString(16);
    expect(ll).toBe(`fe80::${first}${mapped[1]}:${mapped[2].replace(/^0/, '')}ff:fe${mapped[3]}:${parseInt(mapped[4] + mapped[5], 16).toString(16)}`.replace(/::0+(?=[0-9a-f])/, '::'));
  });

  test('keeps the I/G and U/L bits of a MAC', () => {
    const m = makeMapping({ mode, seed: 3 });
    expect(parseInt(mac(m, '02:42:c6:12:00:14').slice(0, 2), 16) & 3).toBe(2);
    expect(parseInt(mac(m, '00:1b:21:3a:4b:5c').slice(0, 2), 16) & 3).toBe(0);
  });

  test('rewrites a solicited-node address and its MAC from the mapped unicast address', () => {
    const m = makeMapping({ mode, seed: 3 });
    const target = v6FromText(v6(m, '2001:db8::20'))!;
    const suffix = [target[13], target[14], target[15]].map((x) => x.toString(16).padStart(2, '0'));
    expect(mac(m, '33:33:ff:00:00:20')).toBe(`33:33:ff:${suffix.join(':')}`);
    expect(v6(m, 'ff02::1:ff00:20')).toBe(v6ToText(Uint8Array.from([0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, target[13], target[14], target[15]])));
  });

  test('gives one address one fake address and never an original or a used one', () => {
    const originals = Array.from({ length: 2000 }, (_, i) => `10.0.${i >> 8}.${i & 0xff}`);
    const found = new AddressCollector();
    for (const a of originals) found.v4(v4FromText(a)!);
    const m = makeMapping({ mode, seed: 9 });
    m.prepare(found);
    const fakes = originals.map((a) => v4(m, a));
    expect(new Set(fakes).size).toBe(originals.length);
    const orig = new Set(originals);
    expect(fakes.filter((f) => orig.has(f))).toEqual([]);
    expect(originals.map((a) => v4(m, a))).toEqual(fakes);
  });

  test("never gives an address a fake whose text is another original's in-addr.arpa form (verify-anon would call it a leak)", () => {
    const reversed = (t: string) => t.split('.').reverse().join('.');
    const mapOf = (addresses: string[], seed: number) => {
      const found = new AddressCollector();
      for (const a of addresses) found.v4(v4FromText(a)!);
      const m = makeMapping({ mode, seed });
      m.prepare(found);
      return m;
    };
    // A seed whose first fake for 1.2.3.4, reversed, is an address that is itself mapped and sorts
    // after 1.2.3.4 (so 1.2.3.4's draw comes first and meets it as an original).
    const seed = Array.from({ length: 50 }, (_, i) => i).find((s) => {
      const r = reversed(v4(mapOf(['1.2.3.4'], s), '1.2.3.4'));
      return v4FromText(r)! > v4FromText('1.2.3.4')! && v4(mapOf([r], s), r) !== r;
    })!;
    expect(seed).toBeDefined();
    const first = v4(mapOf(['1.2.3.4'], seed), '1.2.3.4');
    const originals = ['1.2.3.4', reversed(first)];
    const m = mapOf(originals, seed);
    const fakes = originals.map((a) => v4(m, a));
    expect(fakes[0]).not.toBe(first);
    for (const f of fakes) expect(originals).not.toContain(reversed(f));
  });
});

describe('faker mode', () => {
  test('draws from the non-public ranges, the same for the same seed', () => {
    const a = makeMapping({ mode: 'faker', seed: 5 });
    const b = makeMapping({ mode: 'faker', seed: 5 });
    const c = makeMapping({ mode: 'faker', seed: 6 });
    expect(v4(a, '1.1.1.1')).toBe(v4(b, '1.1.1.1'));
    expect(v4(a, '8.8.8.8')).toMatch(/^10\./);
    expect(v6(a, '2001:4860::8888')).toMatch(/^fd/);
    expect(v4(c, '1.1.1.1')).not.toBe(v4(a, '1.1.1.1'));
  });

  test('takes a configurable range', () => {
    const m = makeMapping({ mode: 'faker', seed: 5, fakeV4Range: '192.168.77.0/24' });
    expect(v4(m, '8.8.8.8')).toMatch(/^192\.168\.77\./);
  });
});

describe('prefix mode', () => {
  test('keeps shared prefixes and never lands in a kept class', () => {
    const m = makeMapping({ mode: 'prefix', seed: 1 });
    const a = v4(m, '198.18.3.4').split('.');
    const b = v4(m, '198.18.3.99').split('.');
    const c = v4(m, '198.18.200.1').split('.');
    expect(a.slice(0, 3)).toEqual(b.slice(0, 3));
    expect(a.slice(0, 2)).toEqual(c.slice(0, 2));
    expect(a[2]).not.toBe(c[2]);
    for (let i = 0; i < 500; i++) {
      const firstIn = 1 + (i % 222);
      if (firstIn === 127 || firstIn === 169) continue;
      const first = Number(v4(m, `${firstIn}.${i & 0xff}.1.1`).split('.')[0]);
      expect(first === 0 || first === 127 || first >= 224).toBe(false);
    }
  });

  test('a different key gives a different mapping', () => {
    const k1 = new Uint8Array(32).fill(1);
    const k2 = new Uint8Array(32).fill(2);
    expect(v4(makeMapping({ mode: 'prefix', seed: 0, key: k1 }), '198.18.0.1')).not.toBe(v4(makeMapping({ mode: 'prefix', seed: 0, key: k2 }), '198.18.0.1'));
  });
});
