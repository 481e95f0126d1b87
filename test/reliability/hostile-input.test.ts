// Hostile input, one class of issue #12 per block: damaged capture lengths (3), verify-anon
// never passing what it did not check (5), published ranges, mappings and labels that match the
// data card (6), and no false leaks in number fields while real leaks stay leaks (7).
// Commands are called through the CLI's main(), so exit codes and messages are the user's.

import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli.ts';
import { readCapture, LINKTYPE, PcapWriter } from '../../src/capture/pcap-file.ts';
import { verifyAnonymization } from '../../src/anonymize/verify-anonymization.ts';
import { exportDataset } from '../../src/dataset/export-dataset.ts';
import { captureIO } from '../helpers/io.ts';
import { hasEditcap, run } from '../helpers/tools.ts';
import { ethernet, ip4, ipv4, udp } from '../anonymize/fixtures/frames.ts';
import { LAB } from '../anonymize/fixtures/lab-capture.ts';
import { makeLabRunDir } from '../anonymize/fixtures/run-dir.ts';
import { useTmpDir } from '../anonymize/fixtures/tmp-dir.ts';

const tmp = useTmpDir('hostile');
let runDir = '';
let original = '';
let dataset = '';

async function scanlab(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = captureIO();
  const code = await main(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

/** File offsets of each record's header in a classic little-endian pcap. */
function recordOffsets(pcap: Buffer): number[] {
  const out: number[] = [];
  for (let h = 24; h + 16 <= pcap.length; h += 16 + pcap.readUInt32LE(h + 8)) out.push(h);
  return out;
}

beforeAll(async () => {
  runDir = makeLabRunDir(join(tmp, 'run'));
  original = join(runDir, 'capture.pcap');
  dataset = (await exportDataset({ runDir, seed: 5 })).datasetDir;
});

describe('class 3: every capture length is checked before it is used', () => {
  test('snaplen and a record\'s incl_len both 0xFFFFFFFF: the record is named, the packets before it kept', async () => {
    const pcap = readFileSync(original);
    const records = recordOffsets(pcap);
    pcap.writeUInt32LE(0xffffffff, 16); // snaplen
    pcap.writeUInt32LE(0xffffffff, records[5] + 8); // incl_len of record 6
    const bad = join(tmp, 'huge-record.pcap');
    writeFileSync(bad, pcap);
    const summary = readCapture(bad, () => {});
    expect(summary.packets).toBe(5);
    expect(summary.warnings).toEqual([`${bad}: record 6 at byte ${records[5]}: incl_len 4294967295 exceeds the 262144-byte record limit (the file's snaplen is 4294967295); kept the 5 packets before it, the rest of the file was not read`]);
    // analyze keeps going on what was kept and says so
    const r = await scanlab('analyze', bad, '--features', 'host-window', '--k', '2');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`record 6 at byte ${records[5]}: incl_len 4294967295`);
  });

  test.runIf(hasEditcap).each([
    ['an EPB whose captured length exceeds its block', (b: Buffer, epb: number) => b.writeUInt32LE(0xffff, epb + 20), /packet 2 \(EPB\) at byte \d+: captured length 65535 exceeds the \d+ bytes its block holds; kept the 1 packet before it/],
    ['a block total length of 0xFFFFFFFF', (b: Buffer, epb: number) => b.writeUInt32LE(0xffffffff, epb + 4), /block EPB at byte \d+: block total length 4294967295 is not a multiple of 4; kept the 1 packet/],
    ['a block whose trailing length disagrees', (b: Buffer, epb: number) => b.writeUInt32LE(b.readUInt32LE(epb + 4) + 4, epb + b.readUInt32LE(epb + 4) - 4), /block EPB at byte \d+: block total length \d+ at its start but \d+ at its end/],
    ['an EPB naming an interface never described', (b: Buffer, epb: number) => b.writeUInt32LE(7, epb + 8), /packet 2 \(EPB\) at byte \d+: names interface 7, but only 1 were described/],
  ])('pcapng: %s is named with its byte offset', (_name, edit, message) => {
    const ng = join(tmp, 'lab.pcapng');
    if (!existsSync(ng)) run('editcap', ['-F', 'pcapng', original, ng]);
    const b = readFileSync(ng);
    // Walk to the second EPB.
    const epbs: number[] = [];
    for (let p = 0; p + 12 <= b.length; p += b.readUInt32LE(p + 4)) if (b.readUInt32LE(p) === 6) epbs.push(p);
    edit(b, epbs[1]);
    const bad = join(tmp, 'bad.pcapng');
    writeFileSync(bad, b);
    const summary = readCapture(bad, () => {});
    expect(summary.packets).toBe(1);
    expect(summary.warnings.join('\n')).toMatch(message);
  });

  test('an IDB option running past its block is refused before any packet, naming it', () => {
    // A hand-made pcapng: SHB, then an IDB whose if_tsresol option claims 200 bytes.
    const shb = Buffer.alloc(28);
    shb.writeUInt32LE(0x0a0d0d0a, 0); shb.writeUInt32LE(28, 4); shb.writeUInt32LE(0x1a2b3c4d, 8);
    shb.writeUInt16LE(1, 12); shb.writeBigInt64LE(-1n, 16); shb.writeUInt32LE(28, 24);
    const idb = Buffer.alloc(28);
    idb.writeUInt32LE(1, 0); idb.writeUInt32LE(28, 4); idb.writeUInt16LE(LINKTYPE.ETHERNET, 8); idb.writeUInt32LE(65535, 12);
    idb.writeUInt16LE(9, 16); idb.writeUInt16LE(200, 18); idb[20] = 6; idb.writeUInt32LE(28, 24);
    const bad = join(tmp, 'option.pcapng');
    writeFileSync(bad, Buffer.concat([shb, idb]));
    expect(() => readCapture(bad, () => {})).toThrowError(/interface description block 0 at byte 28: option 9 at byte 44 claims 200 bytes, past the end of its block/);
  });
});

describe('class 5: verify-anon never passes what it did not check', () => {
  const copy = (name: string) => { const d = join(tmp, name); cpSync(dataset, d, { recursive: true }); return d; };

  test('the good dataset passes (the checks below are not vacuous)', async () => {
    expect((await scanlab('verify-anon', dataset, '--original', original)).code).toBe(0);
  });

  test('a capture.pcap that is a symbolic link to the original fails, naming the link', async () => {
    const d = copy('symlink');
    rmSync(join(d, 'capture.pcap'));
    symlinkSync(original, join(d, 'capture.pcap'));
    const r = await scanlab('verify-anon', d, '--original', original);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`capture.pcap is a symbolic link to ${original}`);
    expect(r.out).not.toContain('no leaks');
  });

  test.each([
    ['a gzip-compressed capture', (d: string) => writeFileSync(join(d, 'capture.pcap.gz'), gzipSync(readFileSync(original))), /capture\.pcap\.gz is gzip-compressed: its contents cannot be searched/],
    ['a capture it cannot read whole', (d: string) => { const b = readFileSync(join(d, 'capture.pcap')); b.writeUInt32LE(0xffffffff, 24 + 8); writeFileSync(join(d, 'capture.pcap'), b); }, /capture\.pcap cannot be read whole: .*record 1 at byte 24: incl_len 4294967295/],
  ])('a dataset holding %s fails, saying why', async (_name, edit, message) => {
    const d = copy(`unchecked-${_name.replace(/\W+/g, '-')}`);
    edit(d);
    const r = await scanlab('verify-anon', d, '--original', original);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  test('an empty dataset fails', async () => {
    const d = join(tmp, 'empty');
    mkdirSync(d);
    const r = await scanlab('verify-anon', d, '--original', original);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/holds no files: there is nothing to verify/);
  });

  test('an original whose link type scanlab cannot decode fails', async () => {
    const odd = join(tmp, 'user-link.pcap');
    const w = new PcapWriter(odd, { linkType: 147 });
    w.write(1, 0, 20, ip4(LAB.victim.v4).subarray(0, 4));
    w.close();
    const r = await scanlab('verify-anon', dataset, '--original', odd);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/link type 147, which scanlab cannot decode/);
  });

  test('an original with no address anonymization changes fails', async () => {
    // Loopback only: 127.0.0.1 to 127.0.0.2 between all-zero MACs, all kept as they are.
    const loopback = join(tmp, 'loopback-only.pcap');
    const w = new PcapWriter(loopback, { linkType: LINKTYPE.ETHERNET });
    w.write(1, 0, 34, ethernet('00:00:00:00:00:00', '00:00:00:00:00:00', 0x0800, ipv4('127.0.0.1', '127.0.0.2', 17, udp('127.0.0.1', '127.0.0.2', 1, 2, new Uint8Array(2)))));
    w.close();
    const r = await scanlab('verify-anon', dataset, '--original', loopback);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/holds no address that anonymization changes/);
  });
});

describe('class 6: what is published is what the data card says', () => {
  test.each([
    ['8.8.8.0/24', /fake IPv4 range \(--fake-v4\) 8\.8\.8\.0\/24: it is not a non-public range/],
    ['224.1.0.0/16', /224\.1\.0\.0\/16: it overlaps 224\.0\.0\.0\/4, multicast addresses/],
    ['127.0.0.0/16', /overlaps 127\.0\.0\.0\/8, loopback/],
    ['169.254.0.0/16', /overlaps 169\.254\.0\.0\/16, link-local/],
    ['10.9.9.0/30', /10\.9\.9\.0\/30 is too small: it has room for 2 fake addresses and this capture needs 3/],
  ])('--fake-v4 %s is refused with exit 2, naming the range, and nothing is written', async (range, message) => {
    const out = join(tmp, `fake-${range.replace(/\W+/g, '-')}`);
    const r = await scanlab('anonymize', original, '--out', out, '--fake-v4', range);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  test('--fake-v6 2001:4860::/32 (public) is refused; fd12::/16 is accepted', async () => {
    expect((await scanlab('anonymize', original, '--out', join(tmp, 'v6-bad'), '--fake-v6', '2001:4860::/32')).err).toMatch(/2001:4860::\/32: it is not a non-public range/);
    expect((await scanlab('anonymize', original, '--out', join(tmp, 'v6-good'), '--fake-v6', 'fd12::/16')).code).toBe(0);
  });

  describe('mapping files', () => {
    const mappingOf = () => JSON.parse(readFileSync(join(runDir, 'anon-mapping.json'), 'utf8'));
    test.each([
      ['an address written twice', (m: any) => { m.ipv4['198.18.0.020'] = '10.1.1.1'; }, /IPv4 entry "198\.18\.0\.20": "10\.1\.1\.1": 198\.18\.0\.20 is mapped twice|not a valid address/],
      ['two addresses onto one target', (m: any) => { const [a, b] = Object.keys(m.ipv4); m.ipv4[b] = m.ipv4[a]; }, /is the target of two addresses/],
      ['a public target', (m: any) => { m.ipv4[Object.keys(m.ipv4)[0]] = '8.8.8.8'; }, /"8\.8\.8\.8" has a public target/],
      ['a target that is another original of the table', (m: any) => { const [a, b] = Object.keys(m.ipv4); m.ipv4[a] = b; }, /is itself an original address of the table|is the target of two/],
      ['a target that is a real address of the capture', (m: any) => { m.ipv4[LAB.attacker.v4] = '198.18.0.1'; delete m.ipv4['198.18.0.1']; }, /maps onto an address that is a real one in this capture/],
    ])('%s is refused, naming the entry', async (_name, edit, message) => {
      const m = mappingOf();
      edit(m);
      const path = join(tmp, `mapping-${_name.replace(/\W+/g, '-')}.json`);
      writeFileSync(path, JSON.stringify(m));
      const r = await scanlab('anonymize', original, '--out', join(tmp, `m-${_name.replace(/\W+/g, '-')}`), '--mapping', path);
      expect(r.code).toBe(2);
      expect(r.err).toContain(path);
      expect(r.err).toMatch(message);
    });
  });

  test.each([
    ['a packet labelled twice', (rows: string[]) => { rows[3] = '2,benign,'; }, /labels\.csv:4: packet 2 is labelled twice \(also on line 3\)/],
    ['a label that is neither scan nor benign', (rows: string[]) => { rows[5] = '5,attack,syn'; }, /labels\.csv:6: expected "<packet number>,scan\|benign,<step>", found "5,attack,syn"/],
    ['a packet without a row', (rows: string[]) => { rows.splice(7, 1); }, /labels 15 of the 16 packets in the capture; 1 have no label/],
  ])('labels.csv with %s: exit 2 naming file and line, no dataset written', async (_name, edit, message) => {
    const d = join(tmp, `labels-${_name.replace(/\W+/g, '-')}`);
    makeLabRunDir(d);
    const rows = readFileSync(join(d, 'labels.csv'), 'utf8').trimEnd().split('\n');
    edit(rows);
    writeFileSync(join(d, 'labels.csv'), rows.join('\n') + '\n');
    const r = await scanlab('anonymize', d);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(existsSync(join(d, 'dataset'))).toBe(false);
  });
});

describe('class 7: no false leaks in DNS numbers; a real leak in DNS data is still one', () => {
  /** The dataset's DNS answer with an A record (UDP from port 53, answers > 0): its DNS offset. */
  function dnsAnswer(pcap: Buffer): { packet: number; dns: number } {
    const records = recordOffsets(pcap);
    for (let i = 0; i < records.length; i++) {
      const f = records[i] + 16;
      if (pcap.readUInt16BE(f + 12) === 0x0800 && pcap[f + 23] === 17 && pcap.readUInt16BE(f + 34) === 53 && pcap.readUInt16BE(f + 42 + 6) > 0) return { packet: i + 1, dns: f + 42 };
    }
    throw new Error('no DNS answer in the lab capture');
  }

  test('an original address in the DNS header is a coincidence; in an A record it is a leak', () => {
    const header = join(tmp, 'dns-header');
    cpSync(dataset, header, { recursive: true });
    const pcap = readFileSync(join(header, 'capture.pcap'));
    const { packet, dns } = dnsAnswer(pcap);
    pcap.set(ip4(LAB.victim.v4), dns); // id and flags
    writeFileSync(join(header, 'capture.pcap'), pcap);
    const r = verifyAnonymization(header, original);
    expect(r.leakCount).toBe(0);
    expect(r.coincidences).toContainEqual(expect.objectContaining({ packet, address: LAB.victim.v4, field: 'DNS header' }));

    const data = join(tmp, 'dns-data');
    cpSync(dataset, data, { recursive: true });
    const pcap2 = readFileSync(join(data, 'capture.pcap'));
    const at = dnsAnswer(pcap2);
    const nameEnd = pcap2.indexOf(0, at.dns + 12); // the question name's root label
    const aData = nameEnd + 1 + 4 + 2 + 10; // question type/class, answer pointer, type..length
    pcap2.set(ip4(LAB.victim.v4), aData);
    writeFileSync(join(data, 'capture.pcap'), pcap2);
    const leaky = verifyAnonymization(data, original);
    expect(leaky.leaks).toContainEqual(expect.objectContaining({ packet: at.packet, address: LAB.victim.v4, encoding: 'raw 4 bytes' }));
  });
});
