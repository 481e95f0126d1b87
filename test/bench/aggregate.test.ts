import { describe, expect, test } from 'vitest';
import { aggregate } from '../../src/bench/aggregate.ts';
import { benchCsv } from '../../src/bench/bench-csv.ts';
import { formatLeaderboard } from '../../src/bench/format-leaderboard.ts';
import type { DetectorScore, RunEvaluation } from '../../src/bench/evaluate-run.ts';
import type { Metrics } from '../../src/score/metrics.ts';

function metrics(scanF1: number, ari: number): Metrics {
  return { ari, nmi: ari / 2, homogeneity: 0, completeness: 0, vMeasure: ari / 2, purity: 1, scanPrecision: 1, scanRecall: scanF1, scanF1 };
}

function score(detector: string, scanF1: number, ari: number, falsePositives = 0, predictedScan = 0): DetectorScore {
  return { detector, kind: detector === 'trw' ? 'baseline' : 'feature-set', metrics: metrics(scanF1, ari), predictedScan, falsePositives, ms: 10 };
}

function run(scenario: string, packets: number, scanPackets: number, scores: DetectorScore[]): RunEvaluation {
  return { source: `${scenario}-run`, scenario, packets, scanPackets, runMs: 1000, status: 'ok', decodeMs: 1, scores, warnings: [] };
}

describe('aggregating runs into the leaderboard', () => {
  // Given two runs of "syn" and one of "benign-only"
  const runs = [
    run('syn', 100, 40, [score('host-window', 0.9, 0.8), score('trw', 0.5, 0.4, 6, 20)]),
    run('syn', 100, 40, [score('host-window', 0.7, 0.6), score('trw', 0.5, 0.4, 0, 40)]),
    run('benign-only', 50, 0, [score('host-window', 0, 0), score('trw', 0, 0, 5, 5)]),
  ];
  const { scenarios, cells } = aggregate(runs);

  test('one cell per scenario x detector with mean, std, min and max over the runs', () => {
    expect(cells.map((c) => `${c.scenario}/${c.detector}`)).toEqual(['syn/host-window', 'syn/trw', 'benign-only/host-window', 'benign-only/trw']);
    const hw = cells[0];
    expect(hw.runs).toBe(2);
    expect(hw.scanF1.mean).toBeCloseTo(0.8, 12);
    expect(hw.scanF1.std).toBeCloseTo(Math.sqrt(0.02), 12); // (0.01 + 0.01) / 1
    expect([hw.scanF1.min, hw.scanF1.max]).toEqual([0.7, 0.9]);
    expect(hw.ari.mean).toBeCloseTo(0.7, 12);
  });

  test('false-positive share is benign packets predicted scan over benign packets', () => {
    // syn/trw: 6 of 60 benign, then 0 of 60
    expect(cells[1].fpShare.mean).toBeCloseTo(0.05, 12);
    expect(cells[1].predictedScanShare.mean).toBeCloseTo(0.3, 12);
    // benign-only/trw: 5 of 50
    expect(cells[3].fpShare.mean).toBeCloseTo(0.1, 12);
  });

  test('a scenario without scan packets is marked benign-only and ranked by false positives', () => {
    expect(scenarios.map((s) => [s.name, s.runs, s.benignOnly])).toEqual([['syn', 2, false], ['benign-only', 1, true]]);
    const text = formatLeaderboard(scenarios, cells);
    expect(text).toMatch(/benign-only: 1 run, 50 packets \(0\.0% scan\).*benign only/);
    const benignBlock = text.slice(text.indexOf('benign-only:'));
    expect(benignBlock.indexOf('host-window')).toBeLessThan(benignBlock.indexOf('trw'));
  });

  test('bench.csv has a header and one row per cell with the same numbers', () => {
    const [header, ...rows] = benchCsv(cells).trim().split('\n');
    const cols = header.split(',');
    expect(cols.slice(0, 8)).toEqual(['scenario', 'detector', 'kind', 'runs', 'scan_f1_mean', 'scan_f1_std', 'scan_f1_min', 'scan_f1_max']);
    expect(rows).toHaveLength(4);
    const first = Object.fromEntries(rows[0].split(',').map((v, i) => [cols[i], v]));
    expect(first).toMatchObject({ scenario: 'syn', detector: 'host-window', kind: 'feature-set', runs: '2', scan_f1_mean: '0.8', scan_f1_min: '0.7', fp_share_mean: '0' });
  });
});
