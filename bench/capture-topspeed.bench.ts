// The capture path's limit on this machine (issue 16, item 4): a fixed SYN scan replayed with
// tcpreplay, at --topspeed and at fixed rates, from one lab namespace into another, while either
// tcpdump -w or scanlab's capture agent (started as a run starts it: capture/session.ts, inside
// the receiving namespace) captures the receiver's interface, one at a time, same buffer and
// snaplen. The replayed capture is made at the start from a real run: nmap's full-port SYN scan
// of the receiver (as in the syn-full stress test), the sender's SYNs only; the receiver's
// kernel answers each replayed SYN with a RST, as it answers nmap's, so the capture sees both.
// Its own namespaces are named bench-topspeed-<pid>-*; they always come down (finally, and on
// SIGINT/SIGTERM through the forced-exit steps), and leftovers of a killed earlier run of this
// bench (its pid gone) are removed first. Root only. Run: node --import tsx bench/capture-topspeed.bench.ts [repeats]

import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Lab } from '../src/lab/lab.ts';
import type { LabHost } from '../src/scenario/normalize.ts';
import { listNamespaces, namespacePids, stopPids, ip } from '../src/lab/netns.ts';
import { startCapture } from '../src/capture/session.ts';
import { readCapture } from '../src/capture/pcap-file.ts';
import { onStopRequest, forceExit } from '../src/util/stop-signals.ts';
import type { NamespaceHost } from '../src/lab/netns-host.ts';
import { writeResultsSection } from './results-file.ts';

const repeats = Number(process.argv[2] ?? 3);
/** A run's default capture buffer (scenario capture.bufferMiB); the small one takes away its cushion. */
const BUFFER_MIB = 64;
const SMALL_BUFFER_MIB = 1;
const SNAPLEN = 262144;
/**
 * How each replay is paced (the whole scan once at top speed, half of it at the fixed rates, so
 * that each takes 1 to 2 s here) and the capture buffer of both tools. 20,000/s is the syn-full stress
 * test's nmap rate. The 1 MiB ring holds well under a second of top-speed traffic: drops there
 * show whether the capturing process itself keeps pace, which the 64 MiB ring would hide.
 */
const CASES = [
  { name: 'topspeed', args: ['--topspeed'], bufferMiB: BUFFER_MIB },
  { name: '40k pps', args: ['--pps=40000', '--limit=32768'], bufferMiB: BUFFER_MIB },
  { name: '20k pps', args: ['--pps=20000', '--limit=32768'], bufferMiB: BUFFER_MIB },
  { name: 'topspeed', args: ['--topspeed'], bufferMiB: SMALL_BUFFER_MIB },
] as const;
type Case = (typeof CASES)[number];
const caseName = (c: Case) => `${c.name}, ${c.bufferMiB} MiB`;
/**
 * Wait after the replay before stopping the capture: more than tcpdump's 1 s packet-buffer
 * timeout, or the last TPACKET_V3 block, counted in ps_recv, would never reach its file.
 */
const DRAIN_MS = 1300;
const TOOLS = ['tcpdump', 'scanlab'] as const;
type Tool = (typeof TOOLS)[number];

interface Measurement {
  /** caseName(): the replay rate and the capture buffer. */
  readonly case: string;
  readonly tool: Tool;
  /** tcpreplay's "Actual: N packets" and its achieved packets/s. */
  readonly sent: number;
  readonly replayPps: number;
  /** Packets the receiver's eth0 counted in (rx_packets delta): what reached the interface. */
  readonly arrived: number;
  /** Packets in the written pcap, and of them the replayed SYNs (sender's MAC as source). */
  readonly inFile: number;
  readonly synsInFile: number;
  /** libpcap's ps_recv, ps_drop, ps_ifdrop as each tool reports them. */
  readonly received: number;
  readonly dropped: number;
  readonly ifDropped: number;
  /** CPU time (user + system) the capturing process spent from just before the replay to the drain's end. */
  readonly cpuMs: number;
}

/** Namespaces of an earlier run of this bench that was killed (its pid no longer runs). */
async function removeLeftovers(): Promise<void> {
  for (const ns of await listNamespaces()) {
    const pid = /^bench-topspeed-(\d+)-/.exec(ns)?.[1];
    if (!pid || Number(pid) === process.pid || isRunning(Number(pid))) continue;
    await stopPids(await namespacePids(ns));
    await ip(['netns', 'del', ns]);
    process.stderr.write(`removed ${ns}, left by a killed run of this bench\n`);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function rxPackets(host: NamespaceHost): Promise<number> {
  const [link] = JSON.parse(await host.run('ip', ['-s', '-j', 'link', 'show', host.iface])) as { stats64: { rx: { packets: number } } }[];
  return link!.stats64.rx.packets;
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** utime + stime of a process, ms (/proc/<pid>/stat fields 14 and 15). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

function countPackets(path: string, senderMac: Buffer): { total: number; fromSender: number } {
  let total = 0;
  let fromSender = 0;
  readCapture(path, (p) => {
    total++;
    if (p.capLen >= 12 && senderMac.equals(p.buffer.subarray(p.offset + 6, p.offset + 12))) fromSender++;
  });
  return { total, fromSender };
}

/**
 * Records a real SYN scan of every port, the sender's frames only: the capture that is replayed.
 * Returns its SYNs and nmap's own sending rate (first to last SYN), the same-run reference.
 */
async function recordScan(sender: NamespaceHost, receiver: NamespaceHost, path: string): Promise<{ packets: number; pps: number }> {
  const tcpdump = sender.spawn('tcpdump', ['-Z', 'root', '-n', '-i', sender.iface, '-s', String(SNAPLEN), '-B', String(BUFFER_MIB * 1024), '-w', path, `tcp and src host ${sender.address}`]);
  await listening(tcpdump.stderr);
  await sender.run('nmap', ['-n', '-Pn', '-sS', '-p-', '--min-rate', '20000', '--max-retries', '0', receiver.address]);
  await new Promise((r) => setTimeout(r, DRAIN_MS));
  await tcpdump.stop();
  let packets = 0;
  let first = 0;
  let last = 0;
  readCapture(path, (p) => {
    last = p.tsSec + p.tsNsec / 1e9;
    if (packets++ === 0) first = last;
  });
  return { packets, pps: (packets - 1) / (last - first) };
}

function listening(stderr: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (d: Buffer) => {
      text += d;
      if (text.includes('listening on')) {
        stderr.off('data', onData);
        resolve();
      }
    };
    stderr.on('data', onData);
  });
}

async function replay(sender: NamespaceHost, pcap: string, rate: Case): Promise<{ sent: number; pps: number }> {
  const out = await sender.run('tcpreplay', ['--intf1', sender.iface, '--preload-pcap', ...rate.args, pcap]);
  const sent = Number(/Actual: (\d+) packets/.exec(out)?.[1]);
  const pps = Number(/Rated: .*?([\d.]+) pps/.exec(out)?.[1]);
  if (!Number.isFinite(sent) || !Number.isFinite(pps)) throw new Error(`cannot read tcpreplay's summary:\n${out}`);
  return { sent, pps };
}

/** One capture while one replay runs; returns what the tool, the file and the interface say. */
async function measure(tool: Tool, rate: Case, lab: Lab, pcap: string): Promise<Measurement> {
  const sender = lab.node('sender');
  const receiver = lab.node('receiver');
  const out = join(lab.workDir, `${tool}.pcap`);
  let stopCapture: () => Promise<{ received: number; dropped: number; ifDropped: number }>;
  let pid: number | undefined;
  if (tool === 'scanlab') {
    const capture = await startCapture(receiver, out, { snaplen: SNAPLEN, bufferMiB: rate.bufferMiB }, () => {});
    pid = await capture.id;
    stopCapture = () => capture.stop();
  } else {
    const tcpdump = receiver.spawn('tcpdump', ['-Z', 'root', '-n', '-i', receiver.iface, '-s', String(SNAPLEN), '-B', String(rate.bufferMiB * 1024), '-w', out]);
    await listening(tcpdump.stderr);
    pid = await tcpdump.id;
    stopCapture = async () => {
      await tcpdump.stop();
      const { stderr } = await tcpdump.exited;
      const count = (what: string) => Number(new RegExp(`(\\d+) packets ${what}`).exec(stderr)?.[1] ?? 0);
      return { received: count('received by filter'), dropped: count('dropped by kernel'), ifDropped: count('dropped by interface') };
    };
  }
  const before = await rxPackets(receiver);
  const cpuBefore = cpuMs(pid!);
  const { sent, pps } = await replay(sender, pcap, rate);
  // The receiver's RSTs to the last SYNs, and libpcap's ring, drain.
  await new Promise((r) => setTimeout(r, DRAIN_MS));
  const arrived = (await rxPackets(receiver)) - before;
  const cpu = cpuMs(pid!) - cpuBefore;
  const stats = await stopCapture();
  const counted = countPackets(out, Buffer.from(sender.mac.split(':').map((h) => parseInt(h, 16))));
  rmSync(out, { force: true });
  return { case: caseName(rate), tool, sent, replayPps: pps, arrived, inFile: counted.total, synsInFile: counted.fromSender, received: stats.received, dropped: stats.dropped, ifDropped: stats.ifDropped, cpuMs: cpu };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const n = (v: number) => Math.round(v).toLocaleString('en-US');

await removeLeftovers();
const lab = new Lab(`bench-topspeed-${process.pid}`);
// Ctrl-C or SIGTERM: the forced-exit steps stop the agent and delete this bench's namespaces.
const giveBackSignals = onStopRequest((signal) => forceExit(`${signal}`));
const hosts: LabHost[] = [
  { name: 'receiver', role: 'victim', services: [], sysctls: {}, address: '198.18.0.10' },
  { name: 'sender', role: 'attacker', services: [], sysctls: {}, address: '198.18.0.11' },
];
const results: Measurement[] = [];
let replayedPackets = 0;
let replayedBytes = 0;
let nmapPps = 0;
const t0 = performance.now();
try {
  await lab.up(hosts);
  const pcap = join(lab.workDir, 'syn-scan.pcap');
  ({ packets: replayedPackets, pps: nmapPps } = await recordScan(lab.node('sender'), lab.node('receiver'), pcap));
  replayedBytes = statSync(pcap).size;
  process.stdout.write(`replaying ${replayedPackets} SYN frames\n`);
  for (let run = 1; run <= repeats; run++) {
    for (const rate of CASES) {
      // Alternate which tool goes first, so neither always gets the warmer caches.
      const order = run % 2 ? TOOLS : [...TOOLS].reverse();
      for (const tool of order) {
        const m = await measure(tool, rate, lab, pcap);
        results.push(m);
        process.stdout.write(`${JSON.stringify(m)}\n`);
      }
    }
  }
} finally {
  await lab.down();
  giveBackSignals();
}
const seconds = (performance.now() - t0) / 1000;

/** Median of one figure over the repeats of a case and tool, and each run's value. */
function figures(c: Case, tool: Tool) {
  const ms = results.filter((m) => m.case === caseName(c) && m.tool === tool);
  return {
    median: (f: (m: Measurement) => number) => median(ms.map(f)),
    each: (f: (m: Measurement) => number) => ms.map((m) => n(f(m))).join(' / '),
    /** Packets lost over every repeat: libpcap's drops and those missing from the file. */
    lostInAll: ms.reduce((sum, m) => sum + m.dropped + m.ifDropped + Math.max(0, lost(m)), 0),
  };
}
const lost = (m: Measurement) => m.arrived - m.synsInFile;
const cpuUsPerPacket = (m: Measurement) => (m.cpuMs * 1000) / m.inFile;

const rows = CASES.flatMap((c) =>
  TOOLS.map((tool) => {
    const { median: med, each } = figures(c, tool);
    return `| ${c.name} | ${c.bufferMiB} | ${tool} | ${n(med((m) => m.replayPps))} (${each((m) => m.replayPps)}) | ${n(med((m) => m.sent))} | ${n(med((m) => m.arrived))} | ${n(med((m) => m.inFile))} | ${n(med((m) => m.received))} | ${n(med((m) => m.dropped))} (${each((m) => m.dropped)}) | ${n(med((m) => m.ifDropped))} | ${n(med(lost))} (${each(lost)}) | ${med(cpuUsPerPacket).toFixed(2)} |`;
  }),
);

const [top, , , topSmall] = CASES;
/** What the runs at one case say about losses, in words. */
function losses(c: Case): string {
  return TOOLS.map((tool) => `${tool} ${n(figures(c, tool).lostInAll)}`).join(', ');
}
// Packets at the receiver per second: each replayed SYN in, its RST out.
const receiverPps = Math.max(...TOOLS.map((tool) => 2 * figures(top, tool).median((m) => m.replayPps)));
const anyLoss = (c: Case) => TOOLS.some((tool) => figures(c, tool).lostInAll > 0);
const cpu = (tool: Tool) => figures(top, tool).median(cpuUsPerPacket);
/** The first line a tool prints for its version (tcpreplay prints it on stderr). */
function version(cmd: string, args: string[]): string {
  const { stdout, stderr } = spawnSync(cmd, args, { encoding: 'utf8' });
  return (stdout || stderr).split('\n')[0]!.trim();
}
writeResultsSection(
  'Capture path at top speed',
  `A real full-port SYN scan (\`nmap -n -Pn -sS -p- --min-rate 20000 --max-retries 0\`, the sender's frames only:
${n(replayedPackets)} SYNs, ${(replayedBytes / 1e6).toFixed(1)} MB pcap, recorded at the start of the bench; nmap sent them at ${n(nmapPps)} SYNs/s) is replayed with
\`tcpreplay --preload-pcap\` and ${[...new Set(CASES.map((c) => `\`${c.args.join(' ')}\``))].join(', ')} from the sender's lab
namespace through the lab switch into the receiver's, whose kernel answers each SYN with a RST, as in the syn-full
stress test (so the receiver's interface carries twice the replayed packets). The receiver's eth0 is captured by
tcpdump -w or by scanlab's capture agent (capture/session.ts, as a run starts it), one at a time, both with the same
buffer (${BUFFER_MIB} MiB, a run's default, or ${SMALL_BUFFER_MIB} MiB) and snaplen ${SNAPLEN}, the tools alternating which goes first;
${repeats} repeats, median (each run in brackets). The capture is stopped ${DRAIN_MS} ms after the replay ends (tcpdump's libpcap hands a
ring block over after 1 s; stopped sooner, tcpdump's file misses the last block although ps_recv counts it).
*replay pps*: tcpreplay's own "Rated" figure (SYNs sent per second). *arrived*: inbound packets the receiver's eth0
counted (\`ip -s link\`) during the replay. *in file*: packets in the written pcap (both directions).
*ps_recv / ps_drop / ps_ifdrop*: libpcap's counters as each tool reports them (tcpdump's exit lines, the agent's
final line). *lost*: arrived minus the replayed SYNs found in the file (by the sender's MAC): packets that reached the
interface but not the pcap, whatever dropped them. *CPU µs/pkt*: user + system time of the capturing process
(/proc/<pid>/stat, in ${1000 / CLOCK_TICKS} ms ticks: tcpdump's few ticks make its figure coarse) from just before the replay to
the stop, per packet in its file.
Reproduce: \`node --import tsx bench/capture-topspeed.bench.ts ${repeats}\` (root; ${Math.round(seconds)} s here).
Machine: ${execFileSync('nproc').toString().trim()} cores shared with other work, kernel ${version('uname', ['-r'])}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version},
${version('tcpreplay', ['--version'])}, ${version('tcpdump', ['--version'])}, ${execFileSync('tcpdump', ['--version'], { encoding: 'utf8' }).split('\n')[1]!.trim()}, ${version('nmap', ['--version'])}.

| rate | buffer MiB | capture | replay pps | sent | arrived | in file | ps_recv | ps_drop | ps_ifdrop | lost | CPU µs/pkt |
| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

What this means for live detection (issue 16). Offered load: tcpreplay's top speed reached ${n(receiverPps / 2)} SYNs/s (median of
the faster tool's runs), about ${n(receiverPps)} packets/s at the receiver with its RSTs; nmap, recording the scan at the start of
this run, sent ${n(nmapPps)} SYNs/s (the syn-full stress test is this scan). Both senders pay a system call per frame through
veth, bridge and the receiver's TCP stack on the same ${execFileSync('nproc').toString().trim()} shared cores as the capture, so this is the most a lab
interface gets on this machine, and ${anyLoss(top) ? 'even that made a capture lose packets with a run\'s 64 MiB buffer' : 'neither capture lost a packet to it with a run\'s 64 MiB buffer: the capture path\'s dropping point lies beyond what can be offered here'}.
Packets lost over the ${repeats} repeats at top speed: ${losses(top)} with ${BUFFER_MIB} MiB; ${losses(topSmall)} with ${SMALL_BUFFER_MIB} MiB (a ring of well under a second, so there the capturing process itself must keep
pace). What bounds the capture instead is its cost: scanlab's agent spent ${cpu('scanlab').toFixed(2)} µs of CPU per packet, about
${n(1e6 / cpu('scanlab'))} packets per CPU-second, tcpdump ${cpu('tcpdump').toFixed(2)} µs (about ${n(1e6 / cpu('tcpdump'))}); at the top rate the agent used
about ${((receiverPps * cpu('scanlab')) / 1e4).toFixed(0)}% of one core. Live detection that runs in the agent or beside it on these cores spends
from the same budget: it keeps the capture drop-free as long as agent plus detectors stay under one core at the
offered rate and never stall the agent's event loop for longer than the ring holds (a TPACKET_V3 slot of roughly 150
bytes per syn-scan frame: some ${n((BUFFER_MIB * 2 ** 20) / 150 / 1000)} thousand packets, ${((BUFFER_MIB * 2 ** 20) / 150 / receiverPps).toFixed(0)} s at the top rate, in the default ${BUFFER_MIB} MiB; an estimate: lag
it can absorb, not a higher sustained rate).`,
);
