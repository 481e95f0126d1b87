// The live-detection worker thread: tails the capture file, judges windows as they close and posts
// each alert to the engine as it is raised; on "finish" it reads the rest, writes live.json and
// posts a summary. In a thread of its own so that however slow the judging gets, the engine's
// event loop (nmap, the capture agent's reports, the views) never waits for it.
import { parentPort, workerData } from 'node:worker_threads';
import { join } from 'node:path';
import { PcapTail } from '../capture/pcap-tail.ts';
import { LiveDetection } from '../detect/online/live-detection.ts';
import { LIVE_FILE, liveRecord } from '../detect/online/live-record.ts';
import { HOST_WINDOW_SECONDS } from '../features/host-window.ts';
import { writeFileAtomic } from '../util/atomic-output.ts';
import type { LiveFromEngine, LiveToEngine, LiveWorkerData } from './live-messages.ts';

const POLL_MS = 100;
const SLICE = 20_000;

const { capturePath, runDir, seed } = workerData as LiveWorkerData;
const port = parentPort!;
const post = (message: LiveToEngine) => port.postMessage(message);
const tail = new PcapTail(capturePath);
const live = new LiveDetection(tail, { seed, windowSeconds: HOST_WINDOW_SECONDS, onAlert: (alert) => post({ type: 'alert', alert }) });
let warmUpEndedAt: number | null = null;
let failed = false;

const fail = (error: unknown) => {
  failed = true;
  post({ type: 'failed', message: (error as Error).message ?? String(error) });
};
const work = () => {
  if (failed) return;
  try {
    if (live.step(SLICE) === SLICE) setImmediate(work);
  } catch (error) {
    fail(error);
  }
};
const timer = setInterval(work, POLL_MS);

port.on('message', (message: LiveFromEngine) => {
  if (message.type === 'warm-up-ended') {
    warmUpEndedAt = message.epochMs;
    live.warmUpEnded(message.epochMs);
    return;
  }
  clearInterval(timer);
  try {
    if (!failed) live.finish();
    tail.close();
    const record = liveRecord(live, HOST_WINDOW_SECONDS, warmUpEndedAt, seed);
    writeFileAtomic(join(runDir, LIVE_FILE), `${JSON.stringify(record)}\n`);
    const latency = record.alerts.map((a) => a.raisedAt - a.lastPacketTime).sort((a, b) => a - b);
    const at = (q: number) => (latency.length === 0 ? null : Math.round(latency[Math.min(latency.length - 1, Math.floor(q * latency.length))]));
    post({ type: 'finished', packets: record.packets, alerts: record.alerts.length, packetsPerSecond: record.throughput.packetsPerSecond, latencyMs: { p50: at(0.5), p99: at(0.99) } });
  } catch (error) {
    fail(error);
  }
  port.close();
});
