// The capture agent writes the pcap itself and flushes it while it captures, so a reader of the
// file (live detection) sees a packet soon after it was captured, also at a few packets a second.
// libpcap's own dump, which the agent used before, kept such packets in its 4 KiB write buffer
// until the capture stopped: this test failed with it. Real lab, real libpcap, real ping.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { Lab } from '../../src/lab/lab.ts';
import type { LabHost } from '../../src/scenario/normalize.ts';
import { startCapture } from '../../src/capture/session.ts';
import { PcapTail } from '../../src/capture/pcap-tail.ts';
import { canRunLab, tcpdumpCount } from '../helpers/env.ts';
import { waitFor } from '../helpers/run-events.ts';

const hosts: LabHost[] = [
  { name: 'receiver', role: 'victim', services: [], sysctls: {}, address: '198.18.0.10' },
  { name: 'sender', role: 'attacker', services: [], sysctls: {}, address: '198.18.0.11' },
];

describe.runIf(canRunLab)('the capture agent', () => {
  const lab = new Lab();
  beforeAll(() => lab.up(hosts), 60_000);
  afterAll(() => lab.down(), 60_000);

  test('has every packet in its file while the capture still runs, and a valid pcap after it stops', async () => {
    // Given a capture on the receiver
    const path = join(lab.workDir, 'flush.pcap');
    const capture = await startCapture(lab.node('receiver'), path, { snaplen: 262144, bufferMiB: 4 }, () => {});
    const tail = new PcapTail(path);
    let echoes = 0;
    let linkType = -1;
    try {
      // When three pings cross (about 700 bytes in all: far less than a stdio buffer)
      await lab.node('sender').run('ping', ['-n', '-q', '-c', '3', '-i', '0.2', '198.18.0.10']);

      // Then the file holds the three requests and three replies before the capture is stopped
      const seen = await waitFor(() => {
        tail.poll((r) => {
          linkType = r.linkType;
          // Ethernet, IPv4, ICMP (echo request 8 or reply 0)
          if (r.data[12] === 0x08 && r.data[13] === 0x00 && r.data[23] === 1 && (r.data[34] === 8 || r.data[34] === 0)) echoes++;
        });
        return echoes >= 6 ? echoes : undefined;
      }, 10_000);
      expect(seen).toBe(6);
      expect(linkType).toBe(1);
    } finally {
      tail.close();
      await capture.stop();
    }

    // And the stopped file is a classic microsecond pcap that tcpdump reads whole
    expect(readFileSync(path).readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(tcpdumpCount(path, 'icmp')).toBe(6);
    expect(tcpdumpCount(path)).toBe(capture.stats.packets);
  }, 60_000);
});
