// Turns per-run evaluations into the leaderboard: one cell per scenario x detector with the mean
// and spread over the scenario's runs of each packet-weighted score, the false-positive share and
// the detector's time. Scenarios keep the order they were first seen in; detectors the order given.
import type { DetectorKind } from './detectors.ts';
import type { RunEvaluation } from './evaluate-run.ts';
import { spread, type Spread } from './spread.ts';

export interface BenchCell {
  readonly scenario: string;
  readonly detector: string;
  readonly kind: DetectorKind;
  readonly runs: number;
  readonly scanF1: Spread;
  readonly scanPrecision: Spread;
  readonly scanRecall: Spread;
  readonly ari: Spread;
  readonly nmi: Spread;
  readonly vMeasure: Spread;
  /** Benign packets predicted scan / benign packets (empty when no run has benign packets). */
  readonly fpShare: Spread;
  /** Packets predicted scan / packets. */
  readonly predictedScanShare: Spread;
  /** Detector time per run, ms. */
  readonly ms: Spread;
}

export interface BenchScenario {
  readonly name: string;
  readonly runs: number;
  readonly packets: Spread;
  readonly scanShare: Spread;
  /** Lab run wall time, ms (runs that recorded it). */
  readonly runMs: Spread;
  /** True when no run of it has a scan packet: its cells measure false positives only. */
  readonly benignOnly: boolean;
}

export function aggregate(evaluations: readonly RunEvaluation[]): { scenarios: BenchScenario[]; cells: BenchCell[] } {
  const byScenario = new Map<string, RunEvaluation[]>();
  for (const e of evaluations) {
    const list = byScenario.get(e.scenario) ?? [];
    list.push(e);
    byScenario.set(e.scenario, list);
  }
  const scenarios: BenchScenario[] = [];
  const cells: BenchCell[] = [];
  for (const [name, runs] of byScenario) {
    scenarios.push({
      name,
      runs: runs.length,
      packets: spread(runs.map((r) => r.packets)),
      scanShare: spread(runs.map((r) => r.scanPackets / r.packets)),
      runMs: spread(runs.flatMap((r) => (r.runMs === null ? [] : [r.runMs]))),
      benignOnly: runs.every((r) => r.scanPackets === 0),
    });
    const detectors = [...new Set(runs.flatMap((r) => r.scores.map((s) => s.detector)))];
    for (const detector of detectors) {
      const scored = runs.flatMap((r) => r.scores.filter((s) => s.detector === detector).map((s) => ({ run: r, score: s })));
      const of = (f: (x: (typeof scored)[number]) => number) => spread(scored.map(f));
      cells.push({
        scenario: name,
        detector,
        kind: scored[0].score.kind,
        runs: scored.length,
        scanF1: of((x) => x.score.metrics.scanF1),
        scanPrecision: of((x) => x.score.metrics.scanPrecision),
        scanRecall: of((x) => x.score.metrics.scanRecall),
        ari: of((x) => x.score.metrics.ari),
        nmi: of((x) => x.score.metrics.nmi),
        vMeasure: of((x) => x.score.metrics.vMeasure),
        fpShare: spread(scored.filter((x) => x.run.packets > x.run.scanPackets).map((x) => x.score.falsePositives / (x.run.packets - x.run.scanPackets))),
        predictedScanShare: of((x) => x.score.predictedScan / x.run.packets),
        ms: of((x) => x.score.ms),
      });
    }
  }
  return { scenarios, cells };
}
