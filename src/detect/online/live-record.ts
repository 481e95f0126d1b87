// live.json: what live detection decided during a run, written when the capture ends. It keeps
// each online detector's per-row decisions and the moment each alert was raised, so analysis
// (the run's, or `scanlab analyze` of the run directory later) scores the decisions the
// detectors made at the time with the offline scoring code, and reads wall-clock figures (time
// to detect, alert latency) from the record: those cannot be measured again after the run.
import { existsSync, readFileSync } from 'node:fs';
import type { LiveAlert, LiveDetection } from './live-detection.ts';

export type { LiveAlert };

export const LIVE_RECORD_VERSION = 1;
/** Its name in a run directory. */
export const LIVE_FILE = 'live.json';

export interface LiveRecord {
  readonly version: number;
  readonly windowSeconds: number;
  /** Seed of the online models (k-means); absent in records from before it was kept. */
  readonly seed?: number;
  /** When the warm-up ended (epoch ms, this machine's clock), or null when it never did. */
  readonly warmUpEndedAt: number | null;
  /** Packets the live path read (the first ones of capture.pcap, in file order). */
  readonly packets: number;
  /** Per packet read: its row (index into rows), -1 for none. */
  readonly rowOfPacket: number[];
  readonly rows: { readonly training: number[] };
  /** `hosts`: the addresses its alerts named (absent in records from before it was kept: then each flagged row's host). */
  readonly detectors: Record<string, { description: string; rule: string; notes: string[]; scores: number[]; flagged: number[]; raisedAt: (number | null)[]; hosts?: string[] }>;
  readonly alerts: LiveAlert[];
  /** Time spent reading, decoding and judging, and the rate that makes. */
  readonly throughput: { busyMs: number; windows: number; packetsPerSecond: number | null };
}

export function liveRecord(live: LiveDetection, windowSeconds: number, warmUpEndedAt: number | null, seed: number): LiveRecord {
  const detectors: LiveRecord['detectors'] = {};
  for (const d of live.detectors) {
    const rows = live.byDetector.get(d.name)!;
    detectors[d.name] = { description: d.description, rule: d.rule(), notes: [...d.notes], scores: rows.scores.map(finite), flagged: rows.flagged, raisedAt: rows.raisedAt, hosts: [...rows.hosts].sort() };
  }
  return {
    version: LIVE_RECORD_VERSION,
    windowSeconds,
    seed,
    warmUpEndedAt,
    packets: live.packets,
    rowOfPacket: Array.from(live.packetRows()),
    rows: { training: live.rowTraining },
    detectors,
    alerts: live.alerts,
    throughput: { busyMs: round3(live.busyMs), windows: live.windows, packetsPerSecond: live.busyMs > 0 ? Math.round(live.packets / (live.busyMs / 1000)) : null },
  };
}

/** The run directory's live.json, or null when the run had none (--no-live, or an older run). */
export function readLiveRecord(path: string): LiveRecord | null {
  if (!existsSync(path)) return null;
  const value = JSON.parse(readFileSync(path, 'utf8')) as LiveRecord;
  return value && value.version === LIVE_RECORD_VERSION ? value : null;
}

/** JSON has no Infinity: a score that large is kept as the largest double. */
function finite(v: number): number {
  return Number.isFinite(v) ? v : v > 0 ? Number.MAX_VALUE : 0;
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
