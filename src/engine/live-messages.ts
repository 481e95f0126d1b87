// The messages between the engine and its live-detection worker (live.ts, live-worker.ts).
import type { LiveAlert } from '../detect/online/live-detection.ts';

export interface LiveWorkerData {
  readonly capturePath: string;
  readonly runDir: string;
  readonly seed: number;
}

export type LiveFromEngine = { type: 'warm-up-ended'; epochMs: number } | { type: 'finish' };

export type LiveToEngine =
  | { type: 'alert'; alert: LiveAlert }
  | { type: 'failed'; message: string }
  | { type: 'finished'; packets: number; alerts: number; packetsPerSecond: number | null; latencyMs: { p50: number | null; p99: number | null } };
