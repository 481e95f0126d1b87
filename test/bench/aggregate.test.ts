import { describe, expect, test } from 'vitest';
import { aggregate } from '../../src/bench/aggregate.ts';
import { benchCsv } from '../../src/bench/bench-csv.ts';
import { formatLeaderboard } from '../../src/bench/format-leaderboard.ts';
import type { RunEvaluation, SeparationScore } from '../../src/bench/evaluate-run.ts';
import type { DetectorResult } from '../../src/analysis/detect-capture.ts';
import { detectorResult } from '../fixtures/detector-result.ts';

const separation = (ari: number): SeparationScore => ({ ari, nmi: ari / 2, vMeasure: ari / 2, purity: 1, majorityF1: 0.99, ms: 1 });

function run(scenario: string, judged: number, scan: number, detectors: Record<string, DetectorResult>): RunEvaluation {
  return {
    source: `${scenario}-run`, scenario, packets: judged + 10, scanPackets: scan, judgedPackets: judged, judgedScanPackets: scan,
    training: { source: 'warm-up', untilSeconds: 20, capture: null }, runMs: 1000, status: 'ok', decodeMs: 1,
    detectors, separation: { 'host-window': separation(scan ? 0.8 : 0) }, warnings: [],
  };
}

const attacker = { detected: ['198.18.0.11'], missed: [], falselyFlagged: [] };

describe('aggregating runs into the leaderboard', () => {
  // Given two runs of "syn" and one of "benign-only"
  const runs = [
    // host-window: F1 2*36/(72+0+4) and 2*28/(56+0+12); trw: 20 of 40 scan plus 6 benign flagged
    run('syn', 100, 40, { 'host-window': detectorResult({ judged: 100, scan: 40, truePositives: 36, falsePositives: 0, hosts: attacker, timeToDetectMs: { 'syn-scan': 100 } }), trw: detectorResult({ judged: 100, scan: 40, truePositives: 20, falsePositives: 6, kind: 'baseline', hosts: { detected: [], missed: ['198.18.0.11'], falselyFlagged: ['198.18.0.10'] }, timeToDetectMs: { 'syn-scan': null } }) }),
    run('syn', 100, 40, { 'host-window': detectorResult({ judged: 100, scan: 40, truePositives: 28, falsePositives: 0, hosts: attacker, timeToDetectMs: { 'syn-scan': 300 } }), trw: detectorResult({ judged: 100, scan: 40, truePositives: 20, falsePositives: 0, kind: 'baseline', hosts: attacker }) }),
    run('benign-only', 50, 0, { 'host-window': detectorResult({ judged: 50, scan: 0, truePositives: 0, falsePositives: 0, rocAuc: null, falseAlarmsPerHour: 0 }), trw: detectorResult({ judged: 50, scan: 0, truePositives: 0, falsePositives: 5, kind: 'baseline', rocAuc: null, falseAlarmsPerHour: 12 }) }),
  ];
  const board = aggregate(runs);
  const { scenarios, cells } = board;
  const f1 = (tp: number, fp: number, fn: number) => (2 * tp) / (2 * tp + fp + fn);

  test('one cell per scenario x detector with mean, std, min and max over the runs', () => {
    expect(cells.map((c) => `${c.scenario}/${c.detector}`)).toEqual(['syn/host-window', 'syn/trw', 'benign-only/host-window', 'benign-only/trw']);
    const hw = cells[0];
    expect(hw.runs).toBe(2);
    const values = [f1(36, 0, 4), f1(28, 0, 12)];
    expect(hw.f1.mean).toBeCloseTo((values[0] + values[1]) / 2, 12);
    expect(hw.f1.std).toBeCloseTo(Math.abs(values[0] - values[1]) / Math.SQRT2, 12);
    expect([hw.f1.min, hw.f1.max]).toEqual([values[1], values[0]]);
    expect(hw.baseRate.mean).toBeCloseTo(0.4, 12);
  });

  test('hosts, false alarms and time to detect are aggregated per run', () => {
    expect(cells[0].hostsDetected.mean).toBe(1);
    expect(cells[1].hostsDetected.mean).toBe(0.5);
    expect(cells[1].falseHosts.mean).toBe(0.5);
    // the slowest step per run, over the runs where every step was detected
    expect(cells[0].timeToDetectMs.mean).toBe(200);
    expect(cells[1].stepsMissedRuns).toBe(1);
    // benign packets flagged / benign packets judged: 6 of 60, then 0 of 60; 5 of 50
    expect(cells[1].fpShare.mean).toBeCloseTo(0.05, 12);
    expect(cells[3].fpShare.mean).toBeCloseTo(0.1, 12);
  });

  test('the overall row takes the mean over attacked scenarios and names the worst', () => {
    const hw = board.overall.find((o) => o.detector === 'host-window')!;
    expect(hw.f1).toBeCloseTo(cells[0].f1.mean, 12);
    expect(hw.worst).toEqual({ scenario: 'syn', f1: cells[0].f1.mean });
    expect(board.overall.find((o) => o.detector === 'trw')!.benignOnlyFalseAlarmsPerHour).toBe(12);
  });

  test('a scenario without scan packets is marked benign-only and ranked by false alarms; separation stands apart', () => {
    expect(scenarios.map((s) => [s.name, s.runs, s.benignOnly])).toEqual([['syn', 2, false], ['benign-only', 1, true]]);
    const text = formatLeaderboard(board);
    expect(text).toMatch(/benign-only: 1 run, 60 packets, scan share 0\.0%.*false alarms are the score/);
    const benignBlock = text.slice(text.indexOf('benign-only:'), text.indexOf('Overall'));
    expect(benignBlock.indexOf('host-window')).toBeLessThan(benignBlock.indexOf('trw'));
    expect(text.indexOf('Separation')).toBeGreaterThan(text.indexOf('Overall'));
    expect(board.separation.map((s) => [s.scenario, s.featureSet, s.ari.mean])).toEqual([['syn', 'host-window', 0.8], ['benign-only', 'host-window', 0]]);
  });

  test('bench.csv has a header and one row per cell with the same numbers', () => {
    const [header, ...rows] = benchCsv(cells).trim().split('\n');
    const cols = header.split(',');
    expect(cols.slice(0, 8)).toEqual(['scenario', 'detector', 'kind', 'runs', 'f1_mean', 'f1_std', 'f1_min', 'f1_max']);
    expect(rows).toHaveLength(4);
    const first = Object.fromEntries(rows[0].split(',').map((v, i) => [cols[i], v]));
    expect(first).toMatchObject({ scenario: 'syn', detector: 'host-window', kind: 'feature-set', runs: '2', f1_min: String(Number(f1(28, 0, 12).toPrecision(9))), fp_share_mean: '0', base_rate_mean: '0.4' });
  });
});
