// The first pass's lean scan (collect-frame.ts) must see exactly the addresses the full rewrite
// sees, or a fake address could equal an original one. Checked on every kind of capture the
// tests have: hand-built lab frames (ARP, ICMP quotes, ND, DHCP, DNS), real loopback captures
// (Ethernet and Linux cooked v2) and the synthetic lab capture.

import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { collectCaptureAddresses } from '../../src/anonymize/anonymize-capture.ts';
import { collectAddresses } from '../../src/anonymize/verify-anonymization.ts';
import { labFrames, writeLabCapture } from './fixtures/lab-capture.ts';
import { LINKTYPE, PcapWriter } from '../../src/capture/pcap-file.ts';
import { useTmpDir } from './fixtures/tmp-dir.ts';
import { writeSyntheticLab } from '../fixtures/synthetic-lab.ts';
import { PROJECT_ROOT } from '../helpers/env.ts';

const tmp = useTmpDir('collect');

const captures: [string, () => string][] = [
  ['hand-built lab frames', () => {
    const path = join(tmp, 'lab.pcap');
    writeLabCapture(path);
    return path;
  }],
  ['a loopback capture (Ethernet)', () => join(PROJECT_ROOT, 'test/fixtures/captures/lo-mixed.pcap')],
  ['a loopback capture (Linux cooked v2)', () => join(PROJECT_ROOT, 'test/fixtures/captures/lo-any-sll2.pcap')],
  ['the synthetic lab capture', () => {
    const path = join(tmp, 'synthetic.pcap');
    writeSyntheticLab(path, { seconds: 20, scanStart: 3, seed: 5 });
    return path;
  }],
];

/** One capture per hand-built frame: an address then stands in one field only, so a field the lean scan skips cannot hide behind the same address elsewhere. */
const singleFrames: [string, () => string][] = labFrames().map((frame, i) => [`lab frame ${i + 1} alone`, () => {
  const path = join(tmp, `frame-${i + 1}.pcap`);
  const writer = new PcapWriter(path, { linkType: LINKTYPE.ETHERNET });
  writer.write(1_760_000_000, 0, frame.length, frame);
  writer.close();
  return path;
}]);

describe('the first pass collects what the rewrite maps', () => {
  test.each([...captures, ...singleFrames])('%s', (_name, make) => {
    const path = make();
    const lean = collectCaptureAddresses(path, { mode: 'faker', seed: 0, keepPayload: true }).collector;
    const full = collectAddresses(path);
    expect(lean.v4s.size + lean.v6s.size + lean.macs.size).toBeGreaterThan(0);
    expect([...lean.v4s].sort()).toEqual([...full.v4s].sort());
    expect([...lean.v6s].sort()).toEqual([...full.v6s].sort());
    expect([...lean.macs].sort()).toEqual([...full.macs].sort());
  });
});
