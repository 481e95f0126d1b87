// verify-anon finds nothing in a good dataset and finds every planted leak, naming the file,
// the offset and (inside the pcap) the packet.

import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, test } from 'vitest';
import verifyAnon from '../../src/commands/verify-anon.ts';
import { verifyAnonymization } from '../../src/anonymize/verify-anonymization.ts';
import { exportDataset } from '../../src/dataset/export-dataset.ts';
import { ip4, mac } from './fixtures/frames.ts';
import { LAB } from './fixtures/lab-capture.ts';
import { makeLabRunDir } from './fixtures/run-dir.ts';
import { useTmpDir } from './fixtures/tmp-dir.ts';

const tmp = useTmpDir('verify');
let run = '';
let good = '';

/** File offset of packet `n` (1-based) of a classic little-endian pcap, at its data. */
function packetOffset(pcap: Buffer, n: number): number {
  let pos = 24;
  for (let i = 1; i < n; i++) pos += 16 + pcap.readUInt32LE(pos + 8);
  return pos + 16;
}

function plant(name: string, edit: (dir: string) => void): string {
  const dir = join(tmp, name);
  cpSync(good, dir, { recursive: true });
  edit(dir);
  return dir;
}

function sink() {
  let text = '';
  const stream = new Writable({ write(chunk, _enc, cb) { text += chunk; cb(); } });
  return { stream, text: () => text };
}

beforeAll(async () => {
  run = makeLabRunDir(join(tmp, 'run'));
  good = (await exportDataset({ runDir: run, seed: 5 })).datasetDir;
});

describe('verifyAnonymization', () => {
  test('finds no leak in a good dataset (faker and prefix mode)', async () => {
    expect(verifyAnonymization(good, join(run, 'capture.pcap')).leaks).toEqual([]);
    const prefix = await exportDataset({ runDir: run, outDir: join(tmp, 'prefix'), mode: 'prefix', seed: 5 });
    const r = verifyAnonymization(prefix.datasetDir, join(run, 'capture.pcap'));
    expect(r.leaks).toEqual([]);
    // Global victim and attacker, the attacker's EUI-64 link-local, the victim's solicited-node group.
    expect(r.addresses).toEqual({ ipv4: 3, ipv6: 4, mac: 4 });
  });

  test('catches an original address left inside an ICMP quote', () => {
    const dir = plant('icmp-quote', (d) => {
      const pcap = readFileSync(join(d, 'capture.pcap'));
      // Packet 4: ICMP port unreachable; quoted IP source at 14 + 20 + 8 + 12.
      pcap.set(ip4(LAB.attacker.v4), packetOffset(pcap, 4) + 14 + 20 + 8 + 12);
      writeFileSync(join(d, 'capture.pcap'), pcap);
    });
    const { leaks } = verifyAnonymization(dir, join(run, 'capture.pcap'));
    expect(leaks).toEqual([expect.objectContaining({ file: 'capture.pcap', packet: 4, address: LAB.attacker.v4, encoding: 'raw 4 bytes' })]);
  });

  test('catches a MAC left in ARP', () => {
    const dir = plant('arp-mac', (d) => {
      const pcap = readFileSync(join(d, 'capture.pcap'));
      pcap.set(mac(LAB.victim.mac), packetOffset(pcap, 2) + 14 + 8);
      writeFileSync(join(d, 'capture.pcap'), pcap);
    });
    const { leaks } = verifyAnonymization(dir, join(run, 'capture.pcap'));
    expect(leaks).toContainEqual(expect.objectContaining({ file: 'capture.pcap', packet: 2, address: LAB.victim.mac, encoding: 'raw 6 bytes' }));
    // This MAC (02:42:c6:12:00:14) embeds the victim's IPv4 address, so that shows up too.
    expect(leaks).toContainEqual(expect.objectContaining({ packet: 2, address: LAB.victim.v4, encoding: 'raw 4 bytes' }));
    expect(leaks).toHaveLength(2);
  });

  test('raw bytes wholly inside a number field, or across header fields, are a coincidence, listed apart; in an unclaimed field they are a leak', () => {
    const dir = plant('number-fields', (d) => {
      const pcap = readFileSync(join(d, 'capture.pcap'));
      // Packet 13 (TCP SYN): its sequence number happens to equal the attacker's address
      pcap.set(ip4(LAB.attacker.v4), packetOffset(pcap, 13) + 14 + 20 + 4);
      // Packet 5's record header: its seconds field happens to equal the victim's
      pcap.set(ip4(LAB.victim.v4), packetOffset(pcap, 5) - 16);
      // Packet 15: the victim's address over the IPv4 checksum and half the source address (the
      // source itself is fake: an original address left there would match at the field)
      pcap.set(ip4(LAB.victim.v4), packetOffset(pcap, 15) + 14 + 10);
      // Packet 4 (ICMP port unreachable): the attacker's address in the unused word, not claimed
      pcap.set(ip4(LAB.attacker.v4), packetOffset(pcap, 4) + 14 + 20 + 4);
      writeFileSync(join(d, 'capture.pcap'), pcap);
    });
    const r = verifyAnonymization(dir, join(run, 'capture.pcap'));
    expect(r.coincidences).toEqual([
      expect.objectContaining({ packet: 5, address: LAB.victim.v4, encoding: 'raw 4 bytes', field: 'pcap record header' }),
      expect.objectContaining({ packet: 13, address: LAB.attacker.v4, encoding: 'raw 4 bytes', field: 'TCP header' }),
      expect.objectContaining({ packet: 15, address: LAB.victim.v4, encoding: 'raw 4 bytes', field: 'across the IPv4 header numbers and the IPv4 source' }),
    ]);
    expect(r.coincidenceCount).toBe(3);
    expect(r.leaks).toEqual([expect.objectContaining({ packet: 4, address: LAB.attacker.v4 })]);
    expect(r.leakCount).toBe(1);
  });

  test.each([
    ['dotted text', `seen ${LAB.victim.v4}\n`, LAB.victim.v4],
    ['reversed dotted text (in-addr.arpa)', 'ptr 20.0.18.198.in-addr.arpa\n', LAB.victim.v4],
    ["MAC hex text (':' between bytes)", 'mac 02:42:C6:12:00:14\n', LAB.victim.mac],
    ["MAC hex text ('.' between 4-digit groups)", 'cisco 0242.c612.0014\n', LAB.victim.mac],
    ['IPv4 hex text (no separator)', 'hex 0xc6120014\n', LAB.victim.v4],
    ['IPv6 text', 'v6 2001:DB8:5::20 ok\n', LAB.victim.v6],
    ['EUI-64 interface ID in IPv6 text', 'slaac 2001:db8::21b:21ff:fe3a:4b5c\n', LAB.attacker.mac],
  ])('catches %s in a text file', (encoding, text, address) => {
    const dir = plant(`text-${encoding.replace(/\W+/g, '-')}`, (d) => appendFileSync(join(d, 'README.md'), text));
    const { leaks } = verifyAnonymization(dir, join(run, 'capture.pcap'));
    expect(leaks).toContainEqual(expect.objectContaining({ file: 'README.md', address, encoding }));
    const readme = readFileSync(join(dir, 'README.md'));
    const hit = leaks.find((l) => l.encoding === encoding)!;
    expect(hit.offset).toBeGreaterThanOrEqual(readme.length - text.length);
  });

  test('does not count a longer number that only starts like an address', () => {
    const dir = plant('no-false', (d) => appendFileSync(join(d, 'packets.csv'), `"x","0","${LAB.victim.v4}0","198.18.0.200","TCP","1"\n`));
    expect(verifyAnonymization(dir, join(run, 'capture.pcap')).leaks).toEqual([]);
  });

  test('the command exits 0 for coincidences alone, and says what and where they are', async () => {
    const dir = plant('cmd-coincidence', (d) => {
      const pcap = readFileSync(join(d, 'capture.pcap'));
      pcap.set(ip4(LAB.attacker.v4), packetOffset(pcap, 13) + 14 + 20 + 4);
      writeFileSync(join(d, 'capture.pcap'), pcap);
    });
    const out = sink();
    const err = sink();
    expect(await verifyAnon([dir, '--original', join(run, 'capture.pcap')], { stdout: out.stream, stderr: err.stream })).toBe(0);
    expect(out.text()).toMatch(/^no leaks: /);
    expect(out.text()).toContain('1 match inside number fields (sequence numbers, timestamps, checksums, lengths, or across adjacent header fields), the same bytes by chance, not addresses:');
    expect(out.text()).toMatch(new RegExp(`capture\\.pcap offset \\d+ \\(packet 13\\): ${LAB.attacker.v4.replace(/\./g, '\\.')} as raw 4 bytes, in the TCP header`));
  });

  test('the command exits 1 naming each leak, 0 when clean', async () => {
    const dir = plant('cmd', (d) => appendFileSync(join(d, 'packets.csv'), `"99","0","${LAB.attacker.v4}","x","TCP","60"\n`));
    const out = sink();
    const err = sink();
    expect(await verifyAnon([dir, '--original', join(run, 'capture.pcap')], { stdout: out.stream, stderr: err.stream })).toBe(1);
    expect(out.text()).toMatch(new RegExp(`leak: packets.csv offset \\d+: ${LAB.attacker.v4.replace(/\./g, '\\.')} as dotted text`));
    expect(await verifyAnon([good, '--original', join(run, 'capture.pcap')], { stdout: out.stream, stderr: err.stream })).toBe(0);
    await expect(verifyAnon([good], { stdout: out.stream, stderr: err.stream })).rejects.toThrow(/--original/);
  });
});
