// The run summary's scores (RunSummary.scores, printed by `scanlab run --json`): detection per
// detector and separation per feature set, taken from the analysis and kept apart. Needs no lab.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCapture } from '../../src/analysis/analyze-capture.ts';
import { offlinePhases, runScores, type PhaseRunner } from '../../src/engine/offline-phases.ts';
import { EventBus } from '../../src/engine/events.ts';
import { runPaths } from '../../src/engine/run-dir.ts';
import type { Scenario } from '../../src/scenario/normalize.ts';
import { writeSyntheticRun } from '../report/synthetic-run.ts';

let root: string;
let dir: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'scanlab-summary-'));
  dir = writeSyntheticRun(join(root, '20260101-120000-synthetic')).dir;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('runScores', () => {
  test('detection per detector is its packet scores; separation per feature set is ARI and the majority-rule F1', () => {
    // Given an analysis of a labelled run
    const analysis = analyzeCapture({ pcapPath: join(dir, 'capture.pcap'), labelsPath: join(dir, 'labels.csv'), seed: 1 });
    // When the summary's scores are taken from it
    const scores = runScores(analysis);
    // Then every detector is there with f1, precision, recall, ROC-AUC and the base rate of its packets
    expect(Object.keys(scores.detection)).toEqual(Object.keys(analysis.detectors));
    for (const [name, d] of Object.entries(analysis.detectors)) {
      const p = d.packets!;
      expect(scores.detection[name]).toEqual({ f1: p.f1, precision: p.precision, recall: p.recall, rocAuc: p.rocAuc, baseRate: p.baseRate });
    }
    // And separation holds only the feature sets' clusterings, apart from detection
    expect(Object.keys(scores.separation)).toEqual(Object.keys(analysis.featureSets));
    for (const [name, set] of Object.entries(analysis.featureSets)) {
      expect(scores.separation[name]).toEqual({ ari: set.metricsByPackets!.ari, majorityF1: set.metricsByPackets!.scanF1 });
    }
  });

  test('an analysis without labels has nothing to score', () => {
    const analysis = analyzeCapture({ pcapPath: join(dir, 'capture.pcap'), seed: 1 });
    expect(runScores(analysis)).toEqual({ detection: {}, separation: {} });
  });
});

describe('offlinePhases: analyze', () => {
  test('a run is analysed with its recorded warm-up as the training part, and its summary carries both score blocks', async () => {
    // Given a run directory whose capture.json records the end of the warm-up (8 s after the first packet)
    const paths = runPaths(dir);
    const capture = JSON.parse(readFileSync(paths.captureJson, 'utf8'));
    writeFileSync(paths.captureJson, JSON.stringify({ ...capture, attackFreeUntil: new Date((1_790_000_000 + 8) * 1000).toISOString() }));
    const phase: PhaseRunner = (_name, work) => work();
    // When the offline phases run (analysis only)
    const extras = await offlinePhases(paths, { seed: 1 } as Scenario, new EventBus(), phase, ['anonymize', 'report']);
    // Then the analysis trained on the warm-up, as scanlab analyze on the directory would
    const analysis = JSON.parse(readFileSync(paths.analysis, 'utf8'));
    expect(analysis.training).toEqual({ source: 'warm-up', untilSeconds: 8, capture: null });
    const direct = analyzeCapture({ pcapPath: paths.capture, labelsPath: paths.labels, seed: 1, training: { runDir: dir } });
    for (const [name, d] of Object.entries(direct.detectors)) expect(analysis.detectors[name].packets).toEqual(JSON.parse(JSON.stringify(d.packets)));
    expect(extras.scores).toEqual(runScores(analysis));
    expect(Object.keys(extras.scores!.detection).length).toBeGreaterThan(0);
    writeFileSync(paths.captureJson, JSON.stringify(capture));
  });
});
