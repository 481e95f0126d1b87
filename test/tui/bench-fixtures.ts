// Shared bench data for the bench view's tests: a plan of three runs and their reports.
import type { BenchJob, BenchProgress } from '../../src/bench/run-bench.ts';
import type { RunEvaluation } from '../../src/bench/evaluate-run.ts';
import type { BenchAction, BenchOutcome } from '../../src/tui/bench-state.ts';
import { detectorResult } from '../fixtures/detector-result.ts';

export const T0 = 1_000_000;
export const DETECTORS = ['host-window', 'threshold', 'trw'];

export const JOBS: BenchJob[] = [
  { label: 'tiny #1', scenario: 'tiny', repeat: 1, expectedMs: 60_000 },
  { label: 'tiny #2', scenario: 'tiny', repeat: 2, expectedMs: 60_000 },
  { label: '/runs/20260101-quiet', scenario: 'quiet', repeat: null, expectedMs: 30_000 },
];

/** A detector that flags no benign packet and finds `recall` of the scan packets. */
const detector = (i: number, judged: number, scan: number, f1: number) => {
  // F1 with no false positive is 2r / (1 + r): r = f1 / (2 - f1).
  const truePositives = Math.round((scan * f1) / (2 - f1));
  return detectorResult({ judged, scan, truePositives, falsePositives: 0, kind: i === 0 ? 'feature-set' : 'baseline' });
};

export function evaluation(scenario: string, source: string, packets: number, scanPackets: number, f1: number[]): RunEvaluation {
  return {
    source,
    scenario,
    packets,
    scanPackets,
    judgedPackets: packets,
    judgedScanPackets: scanPackets,
    training: { source: 'warm-up', untilSeconds: 20, capture: null },
    runMs: 50_000,
    status: 'ok',
    decodeMs: 5,
    detectors: Object.fromEntries(DETECTORS.map((name, i) => [name, detector(i, packets, scanPackets, f1[i])])),
    separation: {},
    warnings: [],
  };
}

export const FIRST: BenchProgress = { label: 'tiny #1', done: 1, total: 3, percent: 40, remainingMs: 100_000, evaluation: evaluation('tiny', '/b/runs/1', 11_080, 2_081, [0.912, 1, 0.987]) };

export const OUTCOME: BenchOutcome = {
  leaderboard: 'tiny: 2 runs, 11000 packets (18.8% scan), run 50.0 s each\n  #  detector     scan F1 (mean ± std)\n  1  threshold    1.000 ± 0.000\n',
  files: { json: '/b/out/bench.json', csv: '/b/out/bench.csv', html: '/b/out/bench.html', markdown: '/b/out/bench.md' },
  runs: 2,
  failures: 0,
  interrupted: false,
};

/** The first run planned, started, seen by the engine in its attack phase, and finished; the second one running. */
export const ACTIONS: BenchAction[] = [
  { type: 'planned', time: T0, jobs: JOBS },
  { type: 'job-started', time: T0, index: 0 },
  { type: 'engine', index: 0, event: { type: 'phase-started', time: T0 + 1000, phase: 'lab-up', detail: 'lab sl0000aa' } },
  { type: 'engine', index: 0, event: { type: 'progress', time: T0 + 2000, phase: 'lab-up', done: 2, total: 3, unit: 'hosts' } },
  { type: 'job-scoring', time: T0 + 50_000, index: 0 },
  { type: 'job-finished', time: T0 + 52_000, progress: FIRST },
  { type: 'log', time: T0 + 52_000, text: '[1/3  40%] tiny #1: 11080 packets (2081 scan), best scan F1 1.000 (threshold)' },
  { type: 'job-started', time: T0 + 52_000, index: 1 },
  { type: 'engine', index: 1, event: { type: 'attack-started', time: T0 + 60_000, step: 'syn-scan', command: 'nmap -sS', index: 0, total: 1 } },
  { type: 'engine', index: 1, event: { type: 'attack-progress', time: T0 + 62_000, step: 'syn-scan', phase: 'SYN Stealth Scan', percent: 42 } },
  { type: 'engine', index: 1, event: { type: 'capture-stats', time: T0 + 62_000, stats: { packets: 1234, bytes: 99_000, received: 1234, dropped: 0, ifDropped: 0, elapsedMs: 1 } } },
  { type: 'tick', time: T0 + 62_000 },
];
