// The decoded columns against tshark's own columns (time, Source, Destination, Protocol, Length)
// on real loopback captures (Ethernet and Linux cooked v2) and a synthetic lab capture.
import { afterAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { decodeCapture } from '../../src/capture/decode/decode-capture.ts';
import { writeSyntheticLab } from '../fixtures/synthetic-lab.ts';
import { hasTshark, run, tempDir } from '../helpers/tools.ts';

const fixtures = new URL('../fixtures/captures/', import.meta.url).pathname;
const tmp = tempDir('protocol');
afterAll(() => tmp.remove());

function ours(path: string): string[] {
  const d = decodeCapture(path);
  const c = d.columns;
  const lines: string[] = [];
  for (let i = 0; i < d.packets; i++) {
    lines.push([i + 1, c.time[i].toFixed(9), d.addresses.text(c.src[i]), d.addresses.text(c.dst[i]), d.protocols.name(c.protocol[i]), c.wireLen[i]].join('\t'));
  }
  return lines;
}

function tshark(path: string): string[] {
  const fields = ['frame.number', 'frame.time_relative', '_ws.col.Source', '_ws.col.Destination', '_ws.col.Protocol', 'frame.len'];
  return run('tshark', ['-n', '-r', path, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])]).trimEnd().split('\n');
}

const captures: [string, () => string][] = [
  ['lo-mixed.pcap (Ethernet: HTTP, TLS 1.2/1.3, DNS, MDNS, NBNS, NTP, SSDP, SSH, nmap SYN + UDP scan)', () => join(fixtures, 'lo-mixed.pcap')],
  ['lo-any-sll2.pcap (Linux cooked v2)', () => join(fixtures, 'lo-any-sll2.pcap')],
  [
    'synthetic lab (HTTP split over segments, TLS records spanning segments, ARP, version-scan probes on 22/80/443)',
    () => {
      const path = join(tmp.path, 'lab.pcap');
      writeSyntheticLab(path, { seconds: 60, scanStart: 2, seed: 5 });
      return path;
    },
  ],
];

describe.runIf(hasTshark)('columns equal tshark', () => {
  test.each(captures)('%s', (_name, make) => {
    const path = make();
    const a = ours(path);
    const b = tshark(path);
    expect(a.length).toBe(b.length);
    const differing = a.map((line, i) => [line, b[i]]).filter(([x, y]) => x !== y);
    expect(differing.slice(0, 5)).toEqual([]);
  });
});
