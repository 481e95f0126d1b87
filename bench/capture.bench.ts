// Capture under load (issue 2): a full 65535-port SYN scan at --min-rate 20000 (about 131,000
// packets in a few seconds) captured on the victim by scanlab's libpcap agent and, at the same
// time on the same interface, by tcpdump. Compares packets in each file, libpcap drops, packets
// per second and peak memory. Run as root: node --import tsx bench/capture.bench.ts [repeats]

import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Lab } from '../src/lab/lab.ts';
import { startCapture } from '../src/capture/session.ts';
import { readCapture } from '../src/capture/pcap-file.ts';
import { nsRun } from '../src/lab/netns.ts';
import { writeResultsSection } from './results-file.ts';

const repeats = Number(process.argv[2] ?? 3);
const rows: string[] = [];

function peakRssMiB(pid: number | undefined): number {
  if (!pid) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+)/.exec(status)![1]) / 1024;
}

function countPackets(path: string): number {
  let n = 0;
  readCapture(path, () => n++);
  return n;
}

for (let run = 1; run <= repeats; run++) {
  const lab = new Lab();
  const dir = join(lab.workDir, 'bench');
  try {
    await lab.up([
      { name: 'victim', role: 'victim', services: [], sysctls: {}, address: '198.18.0.10' },
      { name: 'attacker', role: 'attacker', services: [], sysctls: {}, address: '198.18.0.11' },
    ]);
    execFileSync('mkdir', ['-p', dir]);
    const victim = lab.node('victim');
    const ours = join(dir, 'scanlab.pcap');
    const theirs = join(dir, 'tcpdump.pcap');
    const capture = await startCapture(victim, ours, { snaplen: 262144, bufferMiB: 64 }, () => {});
    // tcpdump with the same buffer (64 MiB) and snaplen, unbuffered file writes off (-U not set).
    const tcpdump = spawn('ip', ['netns', 'exec', victim.namespace, 'tcpdump', '-Z', 'root', '-n', '-i', 'eth0', '-s', '262144', '-B', String(64 * 1024), '-w', theirs], { stdio: ['ignore', 'ignore', 'pipe'] });
    let tcpdumpLog = '';
    tcpdump.stderr.on('data', (d) => (tcpdumpLog += d));
    while (!tcpdumpLog.includes('listening on')) await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await nsRun(lab.node('attacker').namespace, 'nmap', ['-n', '-sS', '-p-', '--min-rate', '20000', '--max-retries', '0', victim.address]);
    const scanSeconds = (performance.now() - t0) / 1000;
    // Stopped at once, tcpdump's file would miss the TPACKET_V3 block libpcap had not handed over
    // yet (its 1 s block timeout): both captures get longer than that before they stop.
    await new Promise((r) => setTimeout(r, 1300));
    const oursRss = peakRssMiB((await capture.id)!);
    const tcpdumpRss = peakRssMiB(tcpdump.pid);
    const stats = await capture.stop();
    tcpdump.kill('SIGINT');
    await new Promise((r) => tcpdump.on('exit', r));
    const tcpdumpDropped = Number(/(\d+) packets dropped by kernel/.exec(tcpdumpLog)?.[1] ?? NaN);
    const oursPackets = countPackets(ours);
    const theirsPackets = countPackets(theirs);
    const row = `| ${run} | ${oursPackets.toLocaleString('en-US')} | ${stats.dropped} | ${Math.round(oursPackets / scanSeconds).toLocaleString('en-US')} | ${oursRss.toFixed(0)} | ${theirsPackets.toLocaleString('en-US')} | ${tcpdumpDropped} | ${Math.round(theirsPackets / scanSeconds).toLocaleString('en-US')} | ${tcpdumpRss.toFixed(0)} | ${(oursPackets / theirsPackets).toFixed(4)} | ${scanSeconds.toFixed(2)} |`;
    rows.push(row);
    process.stdout.write(`${row}\n`);
  } finally {
    await lab.down();
    rmSync(dir, { recursive: true, force: true });
  }
}

writeResultsSection(
  'Capture',
  `Full 65535-port SYN scan, \`nmap -sS -p- --min-rate 20000 --max-retries 0\`, from the attacker's namespace to the victim's.
The victim's interface is captured at the same time by scanlab's agent (libpcap through node_pcap, the pcap written
by the agent and flushed every 100 ms) and by tcpdump, both with a 64 MiB buffer and snaplen 262144. Packets are counted by reading each file.
Packets/s is packets in the file over the scan's wall time (both captures see the same traffic, so they share it).
Both are stopped 1.3 s after the scan (more than tcpdump's 1 s block timeout, or its file misses the last block).
Counts can differ by a few packets: the two captures start and stop a moment apart, so neighbour
discovery or ARP just outside the scan may fall in one window only. Peak memory is the process's VmHWM. Reproduce: \`node --import tsx bench/capture.bench.ts 3\` (root).
Machine: ${execFileSync('nproc').toString().trim()} cores, Node ${process.version}, ${execFileSync('nmap', ['--version']).toString().split('\n')[0]}, ${execFileSync('tcpdump', ['--version']).toString().split('\n')[0]}.

| run | scanlab packets | scanlab drops | scanlab pkt/s | scanlab peak MiB | tcpdump packets | tcpdump drops | tcpdump pkt/s | tcpdump peak MiB | scanlab/tcpdump | scan s |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}`,
);
