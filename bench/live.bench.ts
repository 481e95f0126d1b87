// Live detection under load (issue 16, item 4), two parts:
// 1. The syn-full stress test (scenarios/syn-full.yaml: nmap -sS -p- at 20,000 packets/s, about
//    131,000 packets in a few seconds, beside web and DNS traffic) run `repeats` times with live
//    detection on, as `scanlab run` runs it: libpcap's drops (capture.json), the packets live
//    detection read, the rate it sustained while busy (live.json), alert latency p50/p99 (raised
//    minus the newest packet the alert covers, over every alert of every online detector) and
//    each online detector's time to detect the scan (analysis.json, wall clock).
// 2. What each online detector sustains by itself: the analysis bench's 1.07M-packet synthetic
//    capture fed through the live path (PcapTail, decoder, 1 s windows) from a finished file, one
//    detector at a time and all together; packets / busy seconds. The first 20 s are the warm-up
//    (the synthetic capture has no attack-free part: a model trained on scans too, which changes
//    what is flagged, not the cost of judging).
// The capture path's own limit, tcpdump beside the agent at tcpreplay --topspeed, is the
// "Capture path at top speed" section (bench/capture-topspeed.bench.ts).
// Root (part 1 builds labs). Run: node --import tsx bench/live.bench.ts [repeats]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PcapTail } from '../src/capture/pcap-tail.ts';
import { defaultOnlineDetectors, LiveDetection } from '../src/detect/online/live-detection.ts';
import type { OnlineDetector } from '../src/detect/online/online-detector.ts';
import { benchCapture } from './analysis-capture.ts';
import { writeResultsSection } from './results-file.ts';

const repeats = Number(process.argv[2] ?? 3);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin/scanlab.js');
const WARM_UP_SECONDS = 20;

interface StressRun {
  readonly packets: number;
  readonly dropped: number;
  readonly ifDropped: number;
  readonly livePackets: number;
  readonly livePps: number | null;
  readonly alerts: number;
  readonly p50: number | null;
  readonly p99: number | null;
  readonly toDetect: Record<string, number | null>;
  readonly load: number;
  /** The scan's packets (both directions) over its step's duration: the rate the victim saw. */
  readonly scanPps: number;
}

function quantile(sorted: number[], q: number): number | null {
  return sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function stressRun(): StressRun {
  const out = mkdtempSync(join(tmpdir(), 'scanlab-live-bench-'));
  try {
    const load = loadavg()[0]!;
    execFileSync(process.execPath, [CLI, 'run', join(ROOT, 'scenarios/syn-full.yaml'), '--no-tui', '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    const dir = join(out, readdirSync(out)[0]!);
    const capture = JSON.parse(readFileSync(join(dir, 'capture.json'), 'utf8'));
    const live = JSON.parse(readFileSync(join(dir, 'live.json'), 'utf8'));
    const analysis = JSON.parse(readFileSync(join(dir, 'analysis.json'), 'utf8'));
    const latency = (live.alerts as { raisedAt: number; lastPacketTime: number }[]).map((a) => a.raisedAt - a.lastPacketTime).sort((a, b) => a - b);
    const toDetect: Record<string, number | null> = {};
    for (const [name, d] of Object.entries(analysis.detectors as Record<string, { online?: boolean; timeToDetectMs?: Record<string, number | null> }>)) {
      if (d.online) toDetect[name] = Object.values(d.timeToDetectMs ?? {})[0] ?? null;
    }
    const step = capture.steps[0];
    const scanSeconds = (Date.parse(step.endedAt) - Date.parse(step.startedAt)) / 1000;
    return {
      scanPps: capture.labels.scan / scanSeconds,
      packets: capture.packets, dropped: capture.libpcap.dropped, ifDropped: capture.libpcap.ifDropped,
      livePackets: live.packets, livePps: live.throughput.packetsPerSecond, alerts: live.alerts.length,
      p50: quantile(latency, 0.5), p99: quantile(latency, 0.99), toDetect, load,
    };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Packets per busy second of the live path over a finished capture, with these detectors. */
function sustained(pcap: string, detectors: OnlineDetector[]): { packets: number; busyMs: number; pps: number } {
  const tail = new PcapTail(pcap);
  const live = new LiveDetection(tail, { seed: 1, detectors, clock: () => 0 });
  let warmUpSet = false;
  while (live.step() > 0) {
    if (!warmUpSet && live.packets > 0) {
      const { start } = live.decoded();
      live.warmUpEnded((start.sec + WARM_UP_SECONDS) * 1000 + start.nsec / 1e6);
      warmUpSet = true;
    }
  }
  live.finish();
  tail.close();
  return { packets: live.packets, busyMs: live.busyMs, pps: Math.round(live.packets / (live.busyMs / 1000)) };
}

const n = (v: number | null) => (v === null ? '–' : Math.round(v).toLocaleString('en-US'));
const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const runs: StressRun[] = [];
for (let i = 0; i < repeats; i++) {
  const run = stressRun();
  runs.push(run);
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

const { pcap } = benchCapture();
const aloneLoad = loadavg()[0]!;
const names = defaultOnlineDetectors().map((d) => d.name);
const alone: { name: string; packets: number; pps: number[] }[] = [];
for (const [i, name] of [...names, 'all together'].entries()) {
  const pps: number[] = [];
  let packets = 0;
  for (let r = 0; r < 3; r++) {
    const detectors = name === 'all together' ? defaultOnlineDetectors() : [defaultOnlineDetectors()[i]!];
    const m = sustained(pcap, detectors);
    packets = m.packets;
    pps.push(m.pps);
  }
  alone.push({ name, packets, pps });
  process.stdout.write(`${name}: ${pps.join(' / ')} packets/s\n`);
}

const onlineNames = Object.keys(runs[0]?.toDetect ?? {});
const lines = [
  `Reproduce: \`node --import tsx bench/live.bench.ts ${repeats}\` (root). ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC,`,
  `Node ${process.version}, ${cpus().length} cores; 1-min load at each run's start in the table.`,
  '',
  '**The syn-full stress test with live detection on** (scenarios/syn-full.yaml: `nmap -sS -p- --min-rate 20000`, web and',
  "DNS traffic beside it; `scanlab run` as users run it). *dropped*: libpcap's ps_drop / ps_ifdrop (capture.json).",
  '*live read*: packets live detection read of the capture; *live packets/s*: those over the time it was busy reading,',
  'decoding and judging (live.json). *latency*: alert raised minus the newest packet it covers, over every alert of every',
  'online detector: at least the rest of its 1 s window, the agent\'s 100 ms flush and the worker\'s 100 ms poll.',
  '*to detect*: first alert minus the scan\'s first probe, wall clock (analysis.json), per online detector.',
  '',
  `| run | load | packets | scan packets/s | dropped | live read | live packets/s | alerts | latency p50 ms | latency p99 ms | ${onlineNames.map((d) => `${d} to detect ms`).join(' | ')} |`,
  `| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ${onlineNames.map(() => '---:').join(' | ')} |`,
  ...runs.map((r, i) => `| ${i + 1} | ${r.load.toFixed(1)} | ${n(r.packets)} | ${n(r.scanPps)} | ${r.dropped} / ${r.ifDropped} | ${n(r.livePackets)} | ${n(r.livePps)} | ${n(r.alerts)} | ${n(r.p50)} | ${n(r.p99)} | ${onlineNames.map((d) => n(r.toDetect[d] ?? null)).join(' | ')} |`),
  '',
  `Drops over the ${repeats} runs: ${runs.reduce((s, r) => s + r.dropped + r.ifDropped, 0)}. Median live packets/s ${n(median(runs.map((r) => r.livePps ?? 0)))}, against the`,
  `${n(median(runs.map((r) => r.scanPps)))} packets/s the scan and its answers put on the victim's interface (*scan packets/s*: the step's scan`,
  'packets over its duration in capture.json). The live path runs in its own thread; the capture agent is a separate process',
  'and never waits for it, so when the live path falls behind only its alerts come later.',
  '',
  `**What the online detectors sustain**, each alone and all together: the analysis bench's synthetic capture`,
  `(${n(alone[0]?.packets ?? 0)} packets) read from a finished file through the live path (PcapTail, decoder, 1 s windows, first`,
  `${WARM_UP_SECONDS} s as the warm-up), packets per busy second; 3 repeats, median (each in brackets); 1-min load`,
  `${aloneLoad.toFixed(1)} at the start. The decoder and the window rows are part of every figure.`,
  '',
  '| online detectors | packets/s |',
  '| --- | ---: |',
  ...alone.map((a) => `| ${a.name} | ${n(median(a.pps))} (${a.pps.map(n).join(' / ')}) |`),
  '',
  'online:p0f starts one p0f process per window that holds a TCP SYN (10-20 ms each): replayed from a file, at hundreds of',
  'windows a second, that dominates its figure and the "all together" one; live, at one window a second, it is 1-2 % of a core.',
];
writeResultsSection('Live detection', lines.join('\n'));
process.stdout.write('wrote the "Live detection" section of bench/RESULTS.md\n');
