// A small run directory made without a lab: capture.pcap (Ethernet/IPv4/TCP frames written with
// PcapWriter), labels.csv, scenario.yaml and capture.json. Benign: a client fetching pages from
// the victim; scan: an attacker sending SYNs to 300 ports, the victim answering with RSTs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PcapWriter, LINKTYPE } from '../../src/capture/pcap-file.ts';
import { tcpFrame } from '../fixtures/packet-builder.ts';

const VICTIM = '198.18.0.10';
const ATTACKER = '198.18.0.11';
const CLIENT = '198.18.0.12';

/** One TCP frame between two lab hosts (MACs derived from the addresses). */
function frame(src: string, dst: string, sport: number, dport: number, flags: number, payload: number): Uint8Array {
  return tcpFrame({ ip: src, port: sport }, { ip: dst, port: dport }, flags, { seq: 1, id: 1, payload });
}

export interface SyntheticRun {
  dir: string;
  packets: number;
  scan: number;
}

export function writeSyntheticRun(dir: string): SyntheticRun {
  mkdirSync(dir, { recursive: true });
  const writer = new PcapWriter(join(dir, 'capture.pcap'), { linkType: LINKTYPE.ETHERNET });
  const labels: string[] = ['no,label,step'];
  const packets: { t: number; data: Uint8Array; scan: boolean }[] = [];
  for (let s = 0; s < 60; s++) {
    const t = s * 0.5;
    const port = 40000 + s;
    packets.push({ t, data: frame(CLIENT, VICTIM, port, 80, 0x02, 0), scan: false });
    packets.push({ t: t + 0.001, data: frame(VICTIM, CLIENT, 80, port, 0x12, 0), scan: false });
    packets.push({ t: t + 0.002, data: frame(CLIENT, VICTIM, port, 80, 0x18, 300), scan: false });
    packets.push({ t: t + 0.004, data: frame(VICTIM, CLIENT, 80, port, 0x18, 1200 + (s % 7) * 40), scan: false });
    packets.push({ t: t + 0.005, data: frame(CLIENT, VICTIM, port, 80, 0x11, 0), scan: false });
  }
  for (let p = 1; p <= 300; p++) {
    const t = 10 + p * 0.01;
    packets.push({ t, data: frame(ATTACKER, VICTIM, 51000, p, 0x02, 0), scan: true });
    packets.push({ t: t + 0.0005, data: frame(VICTIM, ATTACKER, p, 51000, 0x14, 0), scan: true });
  }
  packets.sort((a, b) => a.t - b.t);
  const base = 1_790_000_000;
  packets.forEach((p, i) => {
    const sec = Math.floor(p.t);
    writer.write(base + sec, Math.round((p.t - sec) * 1e9), p.data.length, p.data);
    labels.push(`${i + 1},${p.scan ? 'scan' : 'benign'},${p.scan ? 'syn-scan' : ''}`);
  });
  writer.close();
  writeFileSync(join(dir, 'labels.csv'), `${labels.join('\n')}\n`);
  writeFileSync(join(dir, 'scenario.yaml'), 'name: synthetic\ndescription: a synthetic run for tests\n');
  const scan = packets.filter((p) => p.scan).length;
  writeFileSync(join(dir, 'capture.json'), JSON.stringify({ packets: packets.length, status: 'ok', libpcap: { received: packets.length, dropped: 0 }, labels: { scan, benign: packets.length - scan } }));
  return { dir, packets: packets.length, scan };
}
