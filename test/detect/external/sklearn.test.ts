// An external detector's figures are scikit-learn's on its own alerts and labels.csv: the detector
// (test/fixtures/detectors/syn-count.mjs, a real program reading the pcap) runs through
// `scanlab analyze --detector`, and, separately, by hand to keep its alerts file; pandas joins
// that file with labels.csv and sklearn computes precision, recall, F1, ROC-AUC and AP.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeSyntheticLab } from '../../fixtures/synthetic-lab.ts';
import { tempDir } from '../../helpers/tools.ts';
import { hasSklearn, runPython } from '../../score/sklearn-oracle.ts';
import type { AnalysisResult } from '../../../src/analysis/analysis-result.ts';

const DETECTOR = resolve('test/fixtures/detectors/syn-count.mjs');
const tmp = tempDir('external-sklearn');
const runDir = join(tmp.path, 'run');

beforeAll(() => {
  mkdirSync(runDir);
  writeSyntheticLab(join(runDir, 'capture.pcap'), { labelsPath: join(runDir, 'labels.csv'), seconds: 20, scanStart: 4, seed: 9 });
});
afterAll(() => tmp.remove());

describe.runIf(hasSklearn)('an external detector scored by scanlab equals scikit-learn on its alerts and labels.csv', () => {
  test('scanlab analyze --detector NAME=COMMAND', () => {
    // Given the detector run through scanlab, and once by hand for its alerts
    const cli = spawnSync('node', ['bin/scanlab.js', 'analyze', runDir, '--detectors', 'threshold', '--detector', `syn=node ${DETECTOR} {pcap} {out}`, '--features', 'host-window', '--json'], { encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    const result = JSON.parse(cli.stdout) as AnalysisResult;
    const alerts = join(tmp.path, 'syn.csv');
    expect(spawnSync('node', [DETECTOR, join(runDir, 'capture.pcap'), alerts]).status).toBe(0);
    // When scikit-learn scores those alerts against labels.csv
    const expected = runPython<Record<string, number>>(String.raw`
import json, sys, io
import pandas as pd
from sklearn import metrics as M
d = json.load(sys.stdin)
s = pd.read_csv(io.StringIO(d['alerts'])).merge(pd.read_csv(io.StringIO(d['labels'])), on='no')
y = (s['label'] == 'scan').astype(int)
print(json.dumps(dict(precision=M.precision_score(y, s['flagged'], zero_division=0), recall=M.recall_score(y, s['flagged'], zero_division=0),
  f1=M.f1_score(y, s['flagged'], zero_division=0), rocAuc=M.roc_auc_score(y, s['score']), prAuc=M.average_precision_score(y, s['score']), baseRate=float(y.mean()))))`,
      { alerts: readFileSync(alerts, 'utf8'), labels: readFileSync(join(runDir, 'labels.csv'), 'utf8') });
    // Then scanlab's figures are the same, and the detector is an external one with its times
    const syn = result.detectors.syn;
    expect(syn.kind).toBe('external');
    expect(syn.failed).toBeNull();
    expect(expected.f1).toBeGreaterThan(0.1);
    expect(expected.f1).toBeLessThan(1);
    for (const [key, value] of Object.entries(expected)) expect(syn.packets![key as 'f1'], key).toBeCloseTo(value, 12);
    expect(syn.ms).toBeGreaterThan(0);
    expect(syn.cpuMs === null || (syn.cpuMs ?? -1) >= 0).toBe(true);
    // analysis.json holds it beside the built-in one
    const saved = JSON.parse(readFileSync(join(runDir, 'analysis.json'), 'utf8')) as AnalysisResult;
    expect(Object.keys(saved.detectors)).toEqual(['threshold', 'syn']);
  });

  test('a failed detector: exit 1 after everything is written, FAILED in the table, the reason on stderr', () => {
    const cli = spawnSync('node', ['bin/scanlab.js', 'analyze', runDir, '--detectors', 'threshold', '--detector', "broken=sh -c 'echo no model >&2; exit 4'", '--features', 'host-window'], { encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toMatch(/broken \(FAILED\)/);
    expect(cli.stderr).toContain('detector broken failed: it exited with code 4');
    expect(cli.stderr).toContain('no model');
    const saved = JSON.parse(readFileSync(join(runDir, 'analysis.json'), 'utf8')) as AnalysisResult;
    expect(saved.detectors.broken).toMatchObject({ kind: 'external', packets: null, failed: { exitCode: 4, stderrTail: 'no model' } });
    expect(saved.detectors.threshold.packets!.f1).toBeGreaterThan(0);
  });
});
