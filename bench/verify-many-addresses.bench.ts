// verify-anon with many addresses: `node --import tsx bench/verify-many-addresses.bench.ts [hosts]`.
// Synthesizes a capture where each of `hosts` (default 60,000) IPv4 addresses sends one SYN to a
// victim and gets a RST back, anonymizes it (faker mode, 10.0.0.0/8), writes packets.csv, then
// times verify-anon over the dataset. The leak search should grow with the bytes searched, not
// with bytes x addresses. Prints one line for the Anonymization section of bench/RESULTS.md.

import { mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { anonymizeCapture } from '../src/anonymize/anonymize-capture.ts';
import { verifyAnonymization } from '../src/anonymize/verify-anonymization.ts';
import { LINKTYPE, PcapWriter } from '../src/capture/pcap-file.ts';
import { writePacketsCsv } from '../src/dataset/packets-csv.ts';
import { v4ToText } from '../src/util/address-text.ts';
import * as f from '../test/anonymize/fixtures/frames.ts';

const HOSTS = Number(process.argv[2] ?? 60_000);
const dir = join(tmpdir(), `scanlab-verify-bench-${process.pid}`);
const dataset = join(dir, 'dataset');
mkdirSync(dataset, { recursive: true });
try {
  const original = join(dir, 'original.pcap');
  const w = new PcapWriter(original, { linkType: LINKTYPE.ETHERNET });
  const victim = '198.18.0.2';
  for (let i = 0; i < HOSTS; i++) {
    const host = v4ToText((0xc6120000 + 256 + i) >>> 0); // 198.18.1.0 onwards
    const syn = f.ethernet('02:42:c6:12:00:02', '02:42:c6:12:00:01', 0x0800, f.ipv4(host, victim, 6, f.tcp(host, victim, 40000 + (i % 20000), 80, 0x02)));
    const rst = f.ethernet('02:42:c6:12:00:01', '02:42:c6:12:00:02', 0x0800, f.ipv4(victim, host, 6, f.tcp(victim, host, 80, 40000 + (i % 20000), 0x14)));
    w.write(1_700_000_000 + Math.floor(i / 1000), (i % 1000) * 1_000_000, syn.length, syn);
    w.write(1_700_000_000 + Math.floor(i / 1000), (i % 1000) * 1_000_000 + 1000, rst.length, rst);
  }
  w.close();
  anonymizeCapture(original, join(dataset, 'capture.pcap'), { mode: 'faker', seed: 1 });
  writePacketsCsv(join(dataset, 'capture.pcap'), join(dataset, 'packets.csv'));
  const bytes = statSync(join(dataset, 'capture.pcap')).size + statSync(join(dataset, 'packets.csv')).size;
  const load = loadavg()[0].toFixed(1);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = verifyAnonymization(dataset, original);
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  for (const l of r.leaks.slice(0, 3)) console.log("leak:", JSON.stringify(l));
  console.log(`verify-anon, ${r.addresses.ipv4} IPv4 + ${r.addresses.mac} MAC originals in ${r.patterns} encodings, ${(bytes / 1e6).toFixed(1)} MB dataset (${HOSTS * 2} packets): ${wall.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} CPU s, ${r.leakCount} leaks, ${r.coincidenceCount} coincidences (1-min load ${load} at start)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
