// The TUI's data sources: scenario files into picker entries, run directories into results and
// history. Real files, no rendering.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findScenarioFiles, loadScenarioEntry, scenarioSources } from '../../src/tui/scenarios.ts';
import { bestDetection, listRuns, loadRunResults, runDate } from '../../src/tui/results.ts';
import { analyzeCapture } from '../../src/analysis/analyze-capture.ts';
import type { AnalysisResult } from '../../src/analysis/analysis-result.ts';
import { writeSyntheticRun } from '../report/synthetic-run.ts';

const FIXTURES = resolve('test/fixtures/scenarios');

describe('scenario entries', () => {
  test('SCANLAB_SCENARIOS names files and folders, separated by colons', () => {
    expect(scenarioSources({ SCANLAB_SCENARIOS: 'a.yaml:dir' }, '/w')).toEqual(['/w/a.yaml', '/w/dir']);
  });

  test('a folder gives its .yaml files in name order', () => {
    const files = findScenarioFiles([FIXTURES]);
    expect(files).toContain(join(FIXTURES, 'tiny.yaml'));
    expect(files).toEqual([...files].sort());
  });

  test('a scenario gives its hosts with addresses, steps and planned duration', () => {
    const entry = loadScenarioEntry(join(FIXTURES, 'tiny.yaml'));
    expect(entry.error).toBeUndefined();
    expect(entry.name).toBe('tiny');
    expect(entry.hosts.map((h) => h.name)).toEqual(['victim', 'attacker', 'client']);
    expect(entry.hosts[0].address).toMatch(/^198\.1[89]\./);
    expect(entry.steps[0]).toMatchObject({ name: 'syn-scan', targets: ['victim'] });
    expect(entry.plannedMs).toBeGreaterThan(1000);
  });

  test('a file that does not load is an entry with its error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scanlab-tui-scn-'));
    writeFileSync(join(dir, 'broken.yaml'), 'name: broken\n');
    const entry = loadScenarioEntry(join(dir, 'broken.yaml'));
    expect(entry.name).toBe('broken');
    expect(entry.error).toMatch(/broken\.yaml/);
    rmSync(dir, { recursive: true });
  });
});

describe('run results and history', () => {
  let root: string;
  let analysis: AnalysisResult;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'scanlab-tui-runs-'));
    const older = writeSyntheticRun(join(root, '20260101-120000-synthetic')).dir;
    analysis = analyzeCapture({ pcapPath: join(older, 'capture.pcap'), labelsPath: join(older, 'labels.csv'), seed: 1 });
    writeFileSync(join(older, 'analysis.json'), JSON.stringify(analysis));
    const newer = join(root, '20260102-080000-stopped');
    mkdirSync(newer);
    writeFileSync(join(newer, 'scenario.yaml'), 'name: stopped\n');
    writeFileSync(join(newer, 'capture.json'), JSON.stringify({ packets: 10, status: 'interrupted', labels: { scan: 0, benign: 10 } }));
    mkdirSync(join(root, 'not-a-run'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  test('the date comes from the directory name', () => {
    expect(runDate('/x/20260102-080000-stopped')).toEqual(new Date(2026, 0, 2, 8, 0, 0));
  });

  test('a run with analysis.json has its scores and clusters by label', () => {
    const r = loadRunResults(join(root, '20260101-120000-synthetic'));
    expect(r).toMatchObject({ scenario: 'synthetic', status: 'ok', packets: 900, scan: 600, benign: 300 });
    expect(r.featureSets.map((s) => s.name)).toEqual(['sds-window', 'kaggle-flow', 'host-window']);
    for (const set of r.featureSets) {
      expect(set.clusters.reduce((n, c) => n + c.scan, 0)).toBeLessThanOrEqual(600);
      expect(set.clusters[0].packets).toBeGreaterThanOrEqual(set.clusters.at(-1)!.packets);
    }
    // detection per detector, in analysis.json's order, with its packet scores and host counts
    expect(r.detectors.map((d) => d.name)).toEqual(Object.keys(analysis.detectors));
    for (const d of r.detectors) {
      const recorded = analysis.detectors[d.name];
      expect(d.packets).toEqual(recorded.packets);
      expect(d.hosts).toEqual({ detected: recorded.hosts!.detected.length, attackers: recorded.hosts!.detected.length + recorded.hosts!.missed.length, falselyFlagged: recorded.hosts!.falselyFlagged.length });
    }
    // the best score is the best detection F1, whatever the separation scores are
    const f1s = Object.entries(analysis.detectors).map(([name, d]) => ({ name, f1: d.packets!.f1 }));
    const best = f1s.reduce((a, b) => (b.f1 > a.f1 ? b : a));
    expect(bestDetection(r)).toEqual(best);
  });

  test('history lists run directories newest first and skips other folders', () => {
    const runs = listRuns(root);
    expect(runs.map((r) => r.scenario)).toEqual(['stopped', 'synthetic']);
    expect(runs[0]).toMatchObject({ status: 'interrupted', featureSets: [] });
    expect(runs[0].detectors).toEqual([]);
    expect(bestDetection(runs[0])).toBeUndefined();
  });

  test('a missing runs folder is an empty history', () => {
    expect(listRuns(join(root, 'nope'))).toEqual([]);
  });
});
