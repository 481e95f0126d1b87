// scanlab bench end to end: a 2-scenario, 2-repeat bench in the real lab (headless), its files
// checked against the run directories it made; then `--runs` over two of those runs (no lab),
// which must score them the same, and one cell recomputed independently with scanlab analyze.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { canRunLab, runCliSync, tempDir, PROJECT_ROOT } from '../helpers/env.ts';

const TINY = join(PROJECT_ROOT, 'test/fixtures/scenarios/tiny.yaml');
const TINY_CONNECT = join(PROJECT_ROOT, 'test/bench/fixtures/tiny-connect.yaml');
// The default offline detectors, the built-in external one (p0f) and the online detectors each lab
// run recorded live (live.json).
const DETECTORS = ['sds-window', 'kaggle-flow', 'host-window', 'host-window+threshold', 'kaggle-rating', 'threshold', 'trw', 'p0f', 'online:host-window', 'online:streaming-kmeans', 'online:threshold', 'online:host-window+threshold', 'online:trw', 'online:p0f'];
const FEATURE_SETS = ['sds-window', 'kaggle-flow', 'host-window'];

type Csv = Record<string, string>[];

function readCsv(path: string): Csv {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = header.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [cols[i], v])));
}

function labelCounts(runDir: string): { packets: number; scan: number } {
  const rows = readFileSync(join(runDir, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  return { packets: rows.length, scan: rows.filter((r) => r.split(',')[1] === 'scan').length };
}

const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const sampleStd = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / (v.length - 1));

describe.runIf(canRunLab)('scanlab bench: 2 scenarios x 2 repeats in the lab, then --runs over its runs', () => {
  let out: string;
  let bench: Record<string, any>;
  let csv: Csv;
  let stderr: string;
  let stdout: string;

  beforeAll(() => {
    out = tempDir('bench');
    const result = runCliSync(['bench', TINY, TINY_CONNECT, '--repeat', '2', '--out', out], { timeoutMs: 420_000 });
    ({ stderr, stdout } = result);
    expect(result.code, result.stderr).toBe(0);
    bench = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8'));
    csv = readCsv(join(out, 'bench.csv'));
  }, 450_000);

  test('prints the leaderboard, one progress line per run with a percentage, and writes the three files', () => {
    expect(stdout).toMatch(/^tiny: 2 runs/m);
    expect(stdout).toMatch(/^tiny-connect: 2 runs/m);
    for (const name of DETECTORS) expect(stdout).toContain(name);
    const progress = stderr.split('\n').filter((l) => /^\[\d\/4 +\d+%\]/.test(l));
    expect(progress.map((l) => l.slice(0, 5))).toEqual(['[1/4 ', '[2/4 ', '[3/4 ', '[4/4 ']);
    expect(progress[0]).toMatch(/ETA/);
    expect(progress[3]).toMatch(/100%/);
    for (const file of ['bench.json', 'bench.csv', 'bench.html']) expect(existsSync(join(out, file)), file).toBe(true);
  });

  test('bench.json holds each run as its run directory says: packets, scan packets, duration', () => {
    expect(bench.runs).toHaveLength(4);
    expect(bench.runs.map((r: any) => r.scenario)).toEqual(['tiny', 'tiny', 'tiny-connect', 'tiny-connect']);
    for (const run of bench.runs) {
      const counts = labelCounts(run.source);
      expect(run.packets).toBe(counts.packets);
      expect(run.scanPackets).toBe(counts.scan);
      const capture = JSON.parse(readFileSync(join(run.source, 'capture.json'), 'utf8'));
      expect(run.packets).toBe(capture.packets);
      const result = readFileSync(join(run.source, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'result');
      expect(run.runMs).toBe(result.summary.durationMs);
      expect(Object.keys(run.detectors)).toEqual(DETECTORS);
      expect(Object.keys(run.separation)).toEqual(FEATURE_SETS);
      // The learning detectors trained on the run's recorded warm-up.
      expect(run.training.source).toBe('warm-up');
      // Live detection ran with the bench's seed, so the online twin decides as the offline detector.
      expect(JSON.parse(readFileSync(join(run.source, 'live.json'), 'utf8')).seed).toBe(bench.seed);
      expect(run.detectors['online:host-window'].packets).toEqual(run.detectors['host-window'].packets);
    }
  });

  test('every bench.csv cell is the mean and spread of its runs\' detection scores in bench.json', () => {
    expect(csv).toHaveLength(2 * DETECTORS.length);
    for (const row of csv) {
      const values = bench.runs.filter((r: any) => r.scenario === row.scenario).map((r: any) => r.detectors[row.detector].packets);
      expect(values).toHaveLength(2);
      expect(row.runs).toBe('2');
      for (const [col, key] of [['f1', 'f1'], ['precision', 'precision'], ['recall', 'recall'], ['base_rate', 'baseRate']]) {
        const v = values.map((m: any) => m[key]);
        expect(Number(row[`${col}_mean`]), `${row.scenario}/${row.detector} ${col}`).toBeCloseTo(mean(v), 7);
        expect(Number(row[`${col}_std`])).toBeCloseTo(sampleStd(v), 7);
        expect(Number(row[`${col}_min`])).toBeCloseTo(Math.min(...v), 7);
        expect(Number(row[`${col}_max`])).toBeCloseTo(Math.max(...v), 7);
      }
    }
  });

  test('one cell recomputed independently: host-window on tiny, from scanlab analyze on each run directory', () => {
    const runs = bench.runs.filter((r: any) => r.scenario === 'tiny');
    const analyses = runs.map((run: any) => {
      const analyzed = runCliSync(['analyze', run.source, '--features', 'host-window', '--detectors', 'host-window', '--json']);
      expect(analyzed.code, analyzed.stderr).toBe(0);
      const analysis = JSON.parse(analyzed.stdout);
      expect(analysis.packets).toBe(labelCounts(run.source).packets);
      return analysis;
    });
    const row = csv.find((r) => r.scenario === 'tiny' && r.detector === 'host-window')!;
    expect(Number(row.f1_mean)).toBeCloseTo(mean(analyses.map((a: any) => a.detectors['host-window'].packets.f1)), 7);
    expect(Number(row.precision_mean)).toBeCloseTo(mean(analyses.map((a: any) => a.detectors['host-window'].packets.precision)), 7);
    // Separation stays apart: the same clustering scores as analyze's featureSets.
    runs.forEach((run: any, i: number) => expect(run.separation['host-window'].ari).toBeCloseTo(analyses[i].featureSets['host-window'].metricsByPackets.ari, 12));
  });

  test('the baselines catch the scan: scan F1 above 0.9 on both scenarios, no false positives to speak of', () => {
    for (const row of csv.filter((r) => r.kind === 'baseline')) {
      expect(Number(row.f1_min), `${row.scenario}/${row.detector}`).toBeGreaterThan(0.9);
      expect(Number(row.fp_share_max)).toBeLessThan(0.05);
    }
  });

  test('--runs over two of those run directories (no lab) scores them exactly as the lab bench did', () => {
    const again = join(out, 'again');
    const tinyRuns = bench.runs.filter((r: any) => r.scenario === 'tiny');
    const result = runCliSync(['bench', '--runs', tinyRuns[0].source, tinyRuns[1].source, '--out', again, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    const scores = (runs: any[]) => runs.map((r) => Object.fromEntries(Object.entries(r.detectors).map(([name, d]: [string, any]) => [name, d.packets])));
    expect(scores(report.runs)).toEqual(scores(tinyRuns));
    const separation = (runs: any[]) => runs.map((r) => Object.fromEntries(Object.entries(r.separation).map(([name, { ms: _ms, ...rest }]: [string, any]) => [name, rest])));
    expect(separation(report.runs)).toEqual(separation(tinyRuns));
    const rows = readCsv(join(again, 'bench.csv'));
    const before = csv.filter((r) => r.scenario === 'tiny');
    expect(rows.map((r) => [r.detector, r.f1_mean, r.roc_auc_mean, r.base_rate_mean])).toEqual(before.map((r) => [r.detector, r.f1_mean, r.roc_auc_mean, r.base_rate_mean]));
  });
});
