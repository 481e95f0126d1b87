// The leaderboard's live-detection table, from a bench.json written with live detection on:
// per attack step, each online detector's wall-clock time to detect beside the best offline
// detector's capture-time figure, with alert latency and the packets/s the live path sustained.
//
//   node --import tsx bench/live-table.ts BENCH.json [OFFLINE_DETECTOR]

import { readFileSync } from 'node:fs';

interface DetectorEntry {
  online?: boolean;
  timeToDetectMs?: Record<string, number | null>;
  captureTimeToDetectMs?: Record<string, number | null>;
  alertLatencyMs?: { alerts: number; p50: number | null; p99: number | null };
  packetsPerSecond?: number | null;
  failed?: unknown;
}
interface BenchRun { scenario: string; scanPackets: number; detectors: Record<string, DetectorEntry> }

const [benchPath, offline = 'host-window+threshold'] = process.argv.slice(2);
if (!benchPath) {
  console.error('usage: node --import tsx bench/live-table.ts BENCH.json [OFFLINE_DETECTOR]');
  process.exit(2);
}
const bench = JSON.parse(readFileSync(benchPath, 'utf8')) as { runs: BenchRun[] };
const attacked = bench.runs.filter((run) => run.scanPackets > 0);
const online = [...new Set(attacked.flatMap((run) => Object.keys(run.detectors).filter((name) => run.detectors[name].online)))].sort();
if (!online.length) {
  console.error(`${benchPath}: no online detector in any run (was the bench run with --no-live?)`);
  process.exit(2);
}

const seconds = (ms: number | null | undefined) => (ms === undefined ? '–' : ms === null ? 'not detected' : (ms / 1000).toFixed(2));
const lead = online.includes('online:host-window') ? 'online:host-window' : online[0];
const rows = [
  `| scenario | step | ${online.map((name) => `${name} s`).join(' | ')} | offline ${offline}, capture time s | alert latency p50 / p99 ms (${lead}) | live packets/s |`,
  `|---|---|${online.map(() => '---:').join('|')}|---:|---:|---:|`,
];
let steps = 0;
const within2s = new Map(online.map((name) => [name, 0]));
for (const run of attacked) {
  const first = run.detectors[lead];
  const stepNames = Object.keys(first?.timeToDetectMs ?? run.detectors[offline]?.timeToDetectMs ?? {});
  stepNames.forEach((step, i) => {
    steps++;
    for (const name of online) {
      const ms = run.detectors[name]?.timeToDetectMs?.[step];
      if (typeof ms === 'number' && ms <= 2000) within2s.set(name, within2s.get(name)! + 1);
    }
    const latency = first?.alertLatencyMs;
    const tail = i === 0
      ? [latency && latency.alerts ? `${latency.p50} / ${latency.p99}` : '–', first?.packetsPerSecond ?? '–']
      : ['', ''];
    rows.push(`| ${i === 0 ? run.scenario : ''} | ${step} | ${online.map((name) => seconds(run.detectors[name]?.timeToDetectMs?.[step])).join(' | ')} | ${seconds(run.detectors[offline]?.timeToDetectMs?.[step])} | ${tail.join(' | ')} |`);
  });
}
console.log(rows.join('\n'));
console.log(`\nWithin 2 s of the step's first probe: ${online.map((name) => `${name} ${within2s.get(name)} of ${steps} steps`).join('; ')}.`);
