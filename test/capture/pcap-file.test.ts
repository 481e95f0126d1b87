// The streaming pcap/pcapng reader and the pcap writer, against tshark on a real loopback capture
// and its editcap conversions, plus the broken files a user can hand it.
import { afterAll, describe, expect, test } from 'vitest';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCapture, PcapWriter, LINKTYPE, type CaptureSummary } from '../../src/capture/pcap-file.ts';
import { UserError } from '../../src/errors.ts';
import { hasEditcap, hasTshark, run, tempDir } from '../helpers/tools.ts';

const LO = new URL('../fixtures/captures/lo-mixed.pcap', import.meta.url).pathname;
const tmp = tempDir('pcap');
afterAll(() => tmp.remove());

interface Read {
  summary: CaptureSummary;
  times: string[];
  lengths: string[];
  digest: string;
}

function readAll(path: string): Read {
  const times: string[] = [];
  const lengths: string[] = [];
  const hash = createHash('sha256');
  const summary = readCapture(path, (r) => {
    times.push(`${r.tsSec}.${String(r.tsNsec).padStart(9, '0')}`);
    lengths.push(`${r.capLen}/${r.origLen}`);
    hash.update(r.data);
  });
  return { summary, times, lengths, digest: hash.digest('hex') };
}

describe('reading a real capture', () => {
  const ours = readAll(LO);

  test.runIf(hasTshark)('packets, timestamps and lengths equal tshark', () => {
    const lines = run('tshark', ['-r', LO, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.cap_len', '-e', 'frame.len']).trim().split('\n');
    expect(ours.summary.packets).toBe(lines.length);
    expect(ours.times).toEqual(lines.map((l) => l.split('\t')[0]));
    expect(ours.lengths).toEqual(lines.map((l) => `${l.split('\t')[1]}/${l.split('\t')[2]}`));
    expect(ours.summary).toMatchObject({ format: 'pcap', linkType: LINKTYPE.ETHERNET, truncated: false, warnings: [] });
  });

  test.runIf(hasEditcap).each([
    ['pcapng', 'pcapng'],
    ['nsecpcap', 'pcap'],
  ])('the same records from editcap -F %s', (format, expected) => {
    const path = join(tmp.path, `lo.${format}`);
    run('editcap', ['-F', format, LO, path]);
    const other = readAll(path);
    expect(other.summary.format).toBe(expected);
    expect(other.times).toEqual(ours.times);
    expect(other.lengths).toEqual(ours.lengths);
    expect(other.digest).toBe(ours.digest);
  });
});

describe('PcapWriter', () => {
  test.each([true, false])('round-trips records (nanosecond file: %s)', (nanosecond) => {
    const path = join(tmp.path, `w-${nanosecond}.pcap`);
    const w = new PcapWriter(path, { linkType: LINKTYPE.RAW, nanosecond });
    w.write(1_700_000_000, 123_456_789, 60, new Uint8Array([0x45, 1, 2, 3]));
    w.write(1_700_000_001, 5_000, 4, new Uint8Array([0x60, 9, 8, 7]));
    w.close();
    const r = readAll(path);
    expect(r.summary).toMatchObject({ packets: 2, linkType: LINKTYPE.RAW, truncated: false });
    expect(r.times).toEqual(nanosecond ? ['1700000000.123456789', '1700000001.000005000'] : ['1700000000.123456000', '1700000001.000005000']);
    expect(r.lengths).toEqual(['4/60', '4/4']);
  });
});

describe('broken input', () => {
  test('a capture cut in the middle of a packet returns the whole packets before it, with a warning', () => {
    // Given the loopback capture cut 10 bytes into the record of packet 11
    const bytes = readFileSync(LO);
    let offset = 24;
    for (let n = 0; n < 10; n++) offset += 16 + bytes.readUInt32LE(offset + 8);
    const cut = join(tmp.path, 'cut.pcap');
    writeFileSync(cut, bytes.subarray(0, offset + 16 + 10));
    // When it is read
    const r = readAll(cut);
    // Then
    expect(r.summary.packets).toBe(10);
    expect(r.summary.truncated).toBe(true);
    expect(r.summary.warnings.join()).toMatch(/cut\.pcap ends in the middle of packet 11 .* 10 whole packets were read/);
  });

  test('a pcapng cut mid-block also reports truncation', () => {
    if (!hasEditcap) return;
    const ng = join(tmp.path, 'cut-src.pcapng');
    run('editcap', ['-F', 'pcapng', LO, ng]);
    const bytes = readFileSync(ng);
    const cut = join(tmp.path, 'cut.pcapng');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const r = readAll(cut);
    expect(r.summary.truncated).toBe(true);
    expect(r.summary.packets).toBeGreaterThan(0);
  });

  test('a file that is not a capture is a UserError naming it', () => {
    const path = join(tmp.path, 'notes.txt');
    writeFileSync(path, 'no,label,step\n1,scan,syn\n');
    expect(() => readAll(path)).toThrowError(UserError);
    expect(() => readAll(path)).toThrowError(/notes\.txt is not a pcap or pcapng capture \(unknown magic number/);
  });

  test('an empty file is a UserError saying it is empty', () => {
    const path = join(tmp.path, 'empty.pcap');
    writeFileSync(path, '');
    expect(() => readAll(path)).toThrowError(/empty\.pcap is not a capture file: it is empty/);
  });

  test('a missing file is a UserError naming it', () => {
    expect(() => readAll(join(tmp.path, 'nope.pcap'))).toThrowError(/cannot open capture file .*nope\.pcap/);
  });

  test('a header-only capture has no packets and is not truncated', () => {
    const path = join(tmp.path, 'header.pcap');
    copyFileSync(LO, path);
    writeFileSync(path, readFileSync(LO).subarray(0, 24));
    expect(readAll(path).summary).toMatchObject({ packets: 0, truncated: false });
  });
});
