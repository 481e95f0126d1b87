// The engine's one typed event stream. The TUI, the headless printer and events.jsonl are all
// subscribers; the engine never imports a view.

import type { CaptureStats } from '../capture/session.ts';
import type { ActivityCounters } from '../traffic/generators.ts';
import type { AttackStatus } from '../attack/nmap.ts';

export const PHASES = ['prepare', 'lab-up', 'services', 'capture', 'traffic', 'attack', 'teardown', 'label', 'anonymize', 'analyze', 'report'] as const;
export type Phase = (typeof PHASES)[number];
export type RunStatus = 'ok' | 'failed' | 'interrupted';

export interface RunSummary {
  readonly runDir: string;
  readonly scenario: string;
  readonly seed: number;
  readonly status: RunStatus;
  readonly packets: number;
  readonly scan: number;
  readonly benign: number;
  readonly dropped: number;
  readonly steps: { name: string; status: AttackStatus; message?: string }[];
  readonly report?: string;
  readonly dataset?: string;
  /** Scores of the run's analysis; left out when it was not analysed or has no labels. */
  readonly scores?: RunScores;
  readonly durationMs: number;
  readonly message?: string;
}

/** Detection per detector (label-free decisions, per packet after the warm-up), and separation
 *  apart: how well each feature set's clustering splits the traffic when the labels name its scan
 *  clusters (never a detection score). Field names are stable: scripts read `run --json`. */
export interface RunScores {
  readonly detection: Record<string, { f1: number; precision: number; recall: number; rocAuc: number | null; baseRate: number }>;
  readonly separation: Record<string, { ari: number; majorityF1: number }>;
}

export type EngineEvent =
  | { type: 'run-started'; runDir: string; scenario: string; seed: number; plannedMs: number }
  | { type: 'phase-started'; phase: Phase; detail?: string }
  | { type: 'phase-finished'; phase: Phase; status: 'ok' | 'failed' | 'skipped'; durationMs: number; detail?: string }
  | { type: 'progress'; phase: Phase; done: number; total: number; unit?: string }
  | { type: 'capture-stats'; stats: CaptureStats }
  | { type: 'traffic-activity'; host: string; counters: ActivityCounters }
  | { type: 'attack-started'; step: string; command: string; index: number; total: number }
  | { type: 'attack-progress'; step: string; phase: string; percent: number; remainingSeconds?: number }
  | { type: 'attack-finished'; step: string; status: AttackStatus; durationMs: number; openPorts: number; message?: string }
  | { type: 'warning'; message: string }
  /** An online detector flagged a window's conversation (src/detect/online/); times are epoch ms. */
  | { type: 'alert'; detector: string; firstPacketTime: number; lastPacketTime: number; raisedAt: number; src: string; dst: string | null; score: number }
  /** Live detection's end: what it read and how fast it kept up. */
  | { type: 'live-finished'; packets: number; alerts: number; packetsPerSecond: number | null; latencyMs: { p50: number | null; p99: number | null } }
  | { type: 'result'; summary: RunSummary };

export type TimedEvent = EngineEvent & { readonly time: number };

export type Listener = (event: TimedEvent) => void;

export class EventBus {
  private readonly listeners = new Set<Listener>();

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    const timed = { ...event, time: Date.now() } as TimedEvent;
    for (const listener of this.listeners) listener(timed);
  }
}
