// Turns per-run evaluations into the leaderboard: per scenario x detector, the mean and spread
// over the scenario's runs of each detection score (judged packets only); per scenario x feature
// set, the separation scores apart; and per detector an overall row (mean over scenarios and the
// worst scenario). Scenarios keep the order they were first seen in; detectors the order given.
import type { DetectorKind } from './detectors.ts';
import type { RunEvaluation } from './evaluate-run.ts';
import { spread, type Spread } from './spread.ts';

export interface BenchCell {
  readonly scenario: string;
  readonly detector: string;
  readonly kind: DetectorKind;
  readonly runs: number;
  readonly f1: Spread;
  readonly precision: Spread;
  readonly recall: Spread;
  readonly rocAuc: Spread;
  readonly prAuc: Spread;
  readonly baseRate: Spread;
  /** Attacking hosts named / attacking hosts (runs with attackers). */
  readonly hostsDetected: Spread;
  /** Benign hosts (or the victim) named per run. */
  readonly falseHosts: Spread;
  readonly falseAlarmsPerHour: Spread;
  /** Benign packets flagged / benign packets judged. */
  readonly fpShare: Spread;
  /** Per run, the slowest attack step's time to detect, ms (runs where every step was detected). */
  readonly timeToDetectMs: Spread;
  /** Runs in which some attack step was never flagged. */
  readonly stepsMissedRuns: number;
  /** Wall time per run, ms. */
  readonly ms: Spread;
  /** External detectors: runs on which the program failed (not scored, not counted as zeros). */
  readonly failedRuns: number;
  /** External detectors: CPU time per run, ms (runs that measured it). */
  readonly cpuMs: Spread;
}

export interface SeparationCell {
  readonly scenario: string;
  readonly featureSet: string;
  readonly runs: number;
  readonly ari: Spread;
  readonly nmi: Spread;
  readonly vMeasure: Spread;
  readonly majorityF1: Spread;
}

export interface BenchScenario {
  readonly name: string;
  readonly runs: number;
  readonly packets: Spread;
  readonly scanShare: Spread;
  /** Scan share of the judged packets (after the training part): the base rate detection faces. */
  readonly judgedScanShare: Spread;
  /** Lab run wall time, ms (runs that recorded it). */
  readonly runMs: Spread;
  /** True when no run of it has a scan packet: its cells measure false alarms only. */
  readonly benignOnly: boolean;
}

export interface OverallCell {
  readonly detector: string;
  readonly kind: DetectorKind;
  readonly scenarios: number;
  /** Mean over the attacked scenarios of the scenario means. */
  readonly f1: number;
  readonly rocAuc: number;
  /** The attacked scenario with the lowest mean F1, and that F1. */
  readonly worst: { readonly scenario: string; readonly f1: number } | null;
  /** False alarms per hour, mean over the benign-only scenarios (NaN when there is none). */
  readonly benignOnlyFalseAlarmsPerHour: number;
  readonly falseHosts: number;
  /** Runs it failed on (external detectors), over all scenarios. */
  readonly failedRuns: number;
}

export interface Leaderboard {
  readonly scenarios: BenchScenario[];
  readonly cells: BenchCell[];
  readonly separation: SeparationCell[];
  readonly overall: OverallCell[];
}

export function aggregate(evaluations: readonly RunEvaluation[]): Leaderboard {
  const byScenario = new Map<string, RunEvaluation[]>();
  for (const e of evaluations) {
    const list = byScenario.get(e.scenario) ?? [];
    list.push(e);
    byScenario.set(e.scenario, list);
  }
  const scenarios: BenchScenario[] = [];
  const cells: BenchCell[] = [];
  const separation: SeparationCell[] = [];
  for (const [name, runs] of byScenario) {
    scenarios.push({
      name,
      runs: runs.length,
      packets: spread(runs.map((r) => r.packets)),
      scanShare: spread(runs.map((r) => r.scanPackets / r.packets)),
      judgedScanShare: spread(runs.filter((r) => r.judgedPackets > 0).map((r) => r.judgedScanPackets / r.judgedPackets)),
      runMs: spread(runs.flatMap((r) => (r.runMs === null ? [] : [r.runMs]))),
      benignOnly: runs.every((r) => r.scanPackets === 0),
    });
    for (const detector of [...new Set(runs.flatMap((r) => Object.keys(r.detectors)))]) {
      const scored = runs.flatMap((r) => (r.detectors[detector]?.packets ? [{ run: r, d: r.detectors[detector] }] : []));
      const of = (f: (x: (typeof scored)[number]) => number | null | undefined) => spread(scored.flatMap((x) => { const v = f(x); return v === null || v === undefined || Number.isNaN(v) ? [] : [v]; }));
      const ttd = scored.map((x) => Object.values(x.d.timeToDetectMs ?? {}));
      cells.push({
        scenario: name,
        detector,
        kind: runs.find((r) => r.detectors[detector])!.detectors[detector].kind,
        runs: scored.length,
        f1: of((x) => x.d.packets!.f1),
        precision: of((x) => x.d.packets!.precision),
        recall: of((x) => x.d.packets!.recall),
        rocAuc: of((x) => x.d.packets!.rocAuc),
        prAuc: of((x) => x.d.packets!.prAuc),
        baseRate: of((x) => x.d.packets!.baseRate),
        hostsDetected: of((x) => { const h = x.d.hosts!; const n = h.detected.length + h.missed.length; return n === 0 ? null : h.detected.length / n; }),
        falseHosts: of((x) => x.d.hosts!.falselyFlagged.length),
        falseAlarmsPerHour: of((x) => x.d.falseAlarmsPerHour),
        fpShare: of((x) => { const benign = x.run.judgedPackets - x.run.judgedScanPackets; return benign > 0 ? x.d.packets!.falsePositives / benign : null; }),
        timeToDetectMs: spread(ttd.filter((t) => t.length > 0 && !t.includes(null)).map((t) => Math.max(...(t as number[])))),
        stepsMissedRuns: ttd.filter((t) => t.includes(null)).length,
        ms: of((x) => x.d.ms),
        failedRuns: runs.filter((r) => r.detectors[detector]?.failed).length,
        cpuMs: of((x) => x.d.cpuMs),
      });
    }
    for (const featureSet of [...new Set(runs.flatMap((r) => Object.keys(r.separation)))]) {
      const scored = runs.flatMap((r) => (r.separation[featureSet] ? [r.separation[featureSet]] : []));
      separation.push({
        scenario: name,
        featureSet,
        runs: scored.length,
        ari: spread(scored.map((s) => s.ari)),
        nmi: spread(scored.map((s) => s.nmi)),
        vMeasure: spread(scored.map((s) => s.vMeasure)),
        majorityF1: spread(scored.map((s) => s.majorityF1)),
      });
    }
  }
  return { scenarios, cells, separation, overall: overallCells(scenarios, cells) };
}

function overallCells(scenarios: readonly BenchScenario[], cells: readonly BenchCell[]): OverallCell[] {
  const attacked = new Set(scenarios.filter((s) => !s.benignOnly).map((s) => s.name));
  const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : NaN);
  return [...new Set(cells.map((c) => c.detector))].map((detector) => {
    const mine = cells.filter((c) => c.detector === detector);
    const hit = mine.filter((c) => attacked.has(c.scenario) && Number.isFinite(c.f1.mean));
    const worst = hit.length ? hit.reduce((a, b) => (b.f1.mean < a.f1.mean ? b : a)) : null;
    return {
      detector,
      kind: mine[0].kind,
      scenarios: mine.length,
      f1: mean(hit.map((c) => c.f1.mean)),
      rocAuc: mean(hit.filter((c) => Number.isFinite(c.rocAuc.mean)).map((c) => c.rocAuc.mean)),
      worst: worst ? { scenario: worst.scenario, f1: worst.f1.mean } : null,
      benignOnlyFalseAlarmsPerHour: mean(mine.filter((c) => !attacked.has(c.scenario) && Number.isFinite(c.falseAlarmsPerHour.mean)).map((c) => c.falseAlarmsPerHour.mean)),
      falseHosts: mean(mine.filter((c) => Number.isFinite(c.falseHosts.mean)).map((c) => c.falseHosts.mean)),
      failedRuns: mine.reduce((sum, c) => sum + c.failedRuns, 0),
    };
  });
}
