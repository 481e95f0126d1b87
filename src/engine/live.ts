// Live detection during a run, the engine's side: starts the live-detection worker thread
// (live-worker.ts), which reads capture.pcap while the capture agent writes it (the agent is
// untouched: reading a file never slows its writer), and turns what it posts into events: an
// `alert` per flagged conversation, `live-finished` at the end. The judging runs in its own
// thread, so the engine never waits for it; when it falls behind, alerts lag (their latency is
// measured), neither the capture nor the run does. Any failure is a warning: live detection never
// fails a run.
import { Worker } from 'node:worker_threads';
import type { EventBus } from './events.ts';
import type { LiveFromEngine, LiveToEngine, LiveWorkerData } from './live-messages.ts';

/** How long the worker may take to read what is left once the capture stopped. */
const FINISH_TIMEOUT_MS = 120_000;

export interface LiveRun {
  /** The warm-up ended now (epoch ms): from here on windows are judged. */
  warmUpEnded(epochMs: number): void;
  /** The capture has stopped: the worker reads the rest and writes live.json. */
  finish(): Promise<void>;
}

export function startLiveDetection(capturePath: string, runDir: string, seed: number, bus: EventBus): LiveRun {
  const data: LiveWorkerData = { capturePath, runDir, seed };
  const worker = new Worker(new URL('./live-worker-entry.mjs', import.meta.url), { workerData: data });
  const send = (message: LiveFromEngine) => worker.postMessage(message);
  let settle: (() => void) | undefined;
  const ended = new Promise<void>((resolve) => (settle = resolve));
  const warn = (message: string) => bus.emit({ type: 'warning', message: `live detection stopped: ${message}; the capture goes on, analysis afterwards is unaffected` });
  worker.on('message', (message: LiveToEngine) => {
    if (message.type === 'alert') bus.emit({ type: 'alert', ...message.alert });
    else if (message.type === 'failed') warn(message.message);
    else bus.emit({ type: 'live-finished', packets: message.packets, alerts: message.alerts, packetsPerSecond: message.packetsPerSecond, latencyMs: message.latencyMs });
  });
  worker.on('error', (error) => warn(error.message));
  worker.on('exit', () => settle?.());
  return {
    warmUpEnded: (epochMs) => send({ type: 'warm-up-ended', epochMs }),
    async finish() {
      send({ type: 'finish' });
      const timer = setTimeout(() => {
        warn(`it had not read the rest of the capture ${FINISH_TIMEOUT_MS / 1000} s after it stopped`);
        void worker.terminate();
      }, FINISH_TIMEOUT_MS);
      await ended;
      clearTimeout(timer);
    },
  };
}
