// verify-anon with many addresses: `node --import tsx bench/verify-many-addresses.bench.ts [hosts]`.
// Synthesizes a capture where each of `hosts` (default 60,000) IPv4 addresses sends one SYN to a
// victim and gets a RST back, anonymizes it (faker mode, 10.0.0.0/8), writes packets.csv, then
// times verify-anon over the dataset. The leak search should grow with the bytes searched, not
// with bytes x addresses. Writes the "## verify-anon with many addresses" section of bench/RESULTS.md.

import { mkdirSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { anonymizeCapture } from '../src/anonymize/anonymize-capture.ts';
import { verifyAnonymization } from '../src/anonymize/verify-anonymization.ts';
import { LINKTYPE, PcapWriter } from '../src/capture/pcap-file.ts';
import { writePacketsCsv } from '../src/dataset/packets-csv.ts';
import { v4ToText } from '../src/util/address-text.ts';
import { writeResultsSection } from './results-file.ts';
import * as f from '../test/anonymize/fixtures/frames.ts';

// Kept so the change stays measurable: the leak search before its trie (commit b849667, one flat
// list of patterns per first 4 bytes) against after, run side by side on 1 Dec 2026.
const BEFORE = `Before the 4-byte-step trie behind the filter (commit b849667: one flat list of patterns per first 4 bytes),
both measured on 1 Dec 2026 on the shared 2-core machine (other jobs running, load given):

| hosts | before: wall s / CPU s | after: wall s / CPU s |
|---:|---:|---:|
| 6,000 | 7.79 / 1.62 (load 26.9) | 1.49 / 0.98 (load 4.5) |
| 60,000 | 164.53 / 103.84 (load 6.0) | 19.51 / 7.30 (load 6.0) |

That 60,000-host run listed 2 matches as leaks: Faker drew 10.69.18.198, whose text equals the reversed dotted
(in-addr.arpa) text of the original 198.18.69.10. Since commit 13ded24 a fake IPv4 address is never an original's
bytes reversed.`;

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
  const line = `verify-anon, ${r.addresses.ipv4} IPv4 + ${r.addresses.mac} MAC originals in ${r.patterns} encodings, ${(bytes / 1e6).toFixed(1)} MB dataset (${HOSTS * 2} packets): ${wall.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} CPU s, ${r.leakCount} leaks, ${r.coincidenceCount} coincidences (1-min load ${load} at start)`;
  console.log(line);
  writeResultsSection('verify-anon with many addresses', `
Reproduce: \`node --import tsx bench/verify-many-addresses.bench.ts ${HOSTS}\`. One SYN and one RST per host, faker mode,
node ${process.versions.node}, ${cpus().length} cores. CPU seconds include reading the original and building the patterns.

${line}.

${BEFORE}
`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
