// Live detection during a run: tails the victim's capture file as libpcap writes it (the agent is
// untouched: reading a file never slows its writer), judges each window as it closes and emits
// an `alert` event per flagged conversation. Work is done in slices of at most SLICE packets from a
// 100 ms timer, so the engine's event loop stays responsive; when it falls behind, alerts lag
// (their latency is measured), the capture does not. At the end it reads what is left, closes the
// last window and writes live.json. Any failure here is a warning: live detection never fails a run.
import { join } from 'node:path';
import { PcapTail } from '../capture/pcap-tail.ts';
import { LiveDetection } from '../detect/online/live-detection.ts';
import { LIVE_FILE, liveRecord } from '../detect/online/live-record.ts';
import { HOST_WINDOW_SECONDS } from '../features/host-window.ts';
import { writeFileAtomic } from '../util/atomic-output.ts';
import type { EventBus } from './events.ts';

const POLL_MS = 100;
const SLICE = 20_000;

export interface LiveRun {
  /** The warm-up ended now (epoch ms): from here on windows are judged. */
  warmUpEnded(epochMs: number): void;
  /** The capture has stopped: read the rest, write live.json. */
  finish(): void;
}

export function startLiveDetection(capturePath: string, runDir: string, seed: number, bus: EventBus): LiveRun {
  const tail = new PcapTail(capturePath);
  const live = new LiveDetection(tail, { seed, windowSeconds: HOST_WINDOW_SECONDS, onAlert: (alert) => bus.emit({ type: 'alert', ...alert }) });
  let warmUpEndedAt: number | null = null;
  let failed = false;
  let stopped = false;
  const fail = (error: unknown) => {
    failed = true;
    bus.emit({ type: 'warning', message: `live detection stopped: ${(error as Error).message ?? error}; the capture goes on, analysis afterwards is unaffected` });
  };
  const work = () => {
    if (failed || stopped) return;
    try {
      if (live.step(SLICE) === SLICE) setImmediate(work);
    } catch (error) {
      fail(error);
    }
  };
  const timer = setInterval(work, POLL_MS);
  return {
    warmUpEnded(epochMs) {
      warmUpEndedAt = epochMs;
      live.warmUpEnded(epochMs);
    },
    finish() {
      stopped = true;
      clearInterval(timer);
      try {
        if (!failed) live.finish();
        tail.close();
        const record = liveRecord(live, HOST_WINDOW_SECONDS, warmUpEndedAt);
        writeFileAtomic(join(runDir, LIVE_FILE), `${JSON.stringify(record)}\n`);
        const latency = record.alerts.map((a) => a.raisedAt - a.lastPacketTime).sort((a, b) => a - b);
        const at = (q: number) => (latency.length === 0 ? null : latency[Math.min(latency.length - 1, Math.floor(q * latency.length))]);
        bus.emit({ type: 'live-finished', packets: record.packets, alerts: record.alerts.length, packetsPerSecond: record.throughput.packetsPerSecond, latencyMs: { p50: at(0.5), p99: at(0.99) } });
      } catch (error) {
        fail(error);
      }
    },
  };
}
