// The run summary's scores (RunSummary.scores, printed by `scanlab run --json`): detection per
// detector and separation per feature set, taken from the analysis and kept apart. Needs no lab.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCapture } from '../../src/analysis/analyze-capture.ts';
import { runScores } from '../../src/engine/offline-phases.ts';
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
