// analysis's columns hold some values in narrower types (analysis-columns.ts): the same values as
// the decoder's own columns, widened as soon as one does not fit, wherever in the file it comes.
import { describe, expect, test } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PcapWriter, LINKTYPE } from '../../src/capture/pcap-file.ts';
import { decodeCapture } from '../../src/capture/decode/decode-capture.ts';
import { ANALYSIS_COLUMNS, decodeForAnalysis } from '../../src/analysis/analysis-columns.ts';
import { tcp, udp, SYN, type Frame } from '../detect/synth-capture.ts';

/** Writes frames to a pcap; `wire` overrides a frame's length on the wire (a snaplen-cut packet). */
function writePcap(frames: readonly Frame[], wire: (i: number) => number | undefined = () => undefined): string {
  const path = join(mkdtempSync(join(tmpdir(), 'scanlab-columns-')), 'capture.pcap');
  const writer = new PcapWriter(path, { linkType: LINKTYPE.ETHERNET });
  frames.forEach((f, i) => {
    const sec = Math.floor(f.time);
    writer.write(1_700_000_000 + sec, Math.round((f.time - sec) * 1e9), wire(i) ?? f.bytes.length, f.bytes);
  });
  writer.close();
  return path;
}

function expectSameValues(path: string): ReturnType<typeof decodeForAnalysis> {
  const full = decodeCapture(path);
  const analysis = decodeForAnalysis(path);
  expect(analysis.packets).toBe(full.packets);
  for (const name of ANALYSIS_COLUMNS) expect(Array.from(analysis.columns[name]), name).toEqual(Array.from(full.columns[name]));
  return analysis;
}

describe('decodeForAnalysis', () => {
  test('a small lab capture: narrow types, the decoder\'s values', () => {
    // Given a few TCP and UDP packets between two hosts
    const frames = [tcp(0, '198.18.0.2', 40000, '198.18.0.3', 22, SYN), udp(0.5, '198.18.0.3', 53, '198.18.0.2', 40001)];
    // When decoded for analysis
    const a = expectSameValues(writePcap(frames));
    // Then addresses, lengths, flags and protocol codes are held in 16 and 8 bits
    expect(a.columns.src).toBeInstanceOf(Uint16Array);
    expect(a.columns.wireLen).toBeInstanceOf(Uint16Array);
    expect(a.columns.tcpFlags).toBeInstanceOf(Uint8Array);
    expect(a.columns.protocol).toBeInstanceOf(Uint8Array);
  });

  test('values that outgrow the narrow types in a later chunk widen the column, earlier values kept', () => {
    // Given 70,000 packets from as many source addresses (address ids past 65,535 in the second
    // 65,536-packet chunk), the last one with 70,000 bytes on the wire and the TCP NS flag set
    const frames: Frame[] = [];
    const n = 70_000;
    for (let i = 0; i < n; i++) frames.push(tcp(i / 1000, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 1024 + (i % 60000), '198.18.0.3', 80, SYN));
    const last = frames[n - 1].bytes;
    last[14 + 20 + 12] |= 0x01; // NS: the low bit of the data-offset byte
    const path = writePcap(frames, (i) => (i === n - 1 ? 70_000 : undefined));
    // When decoded for analysis
    const a = expectSameValues(path);
    // Then those columns are held wide, with every value equal to the decoder's
    expect(a.columns.src).toBeInstanceOf(Uint32Array);
    expect(a.columns.wireLen).toBeInstanceOf(Uint32Array);
    expect(a.columns.tcpFlags).toBeInstanceOf(Uint16Array);
    expect(a.columns.wireLen[n - 1]).toBe(70_000);
    expect(a.columns.tcpFlags[n - 1] & 0x100).toBe(0x100);
    // and a column whose values still fit stays narrow
    expect(a.columns.dst).toBeInstanceOf(Uint16Array);
  });
});
