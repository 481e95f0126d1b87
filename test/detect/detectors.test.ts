import { describe, expect, test } from 'vitest';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFrames, openConnection, refusedConnection, udp, type Frame } from './synth-capture.ts';
import { DETECTORS, detectorNamed } from '../../src/detect/registry.ts';
import { NO_TRAINING, type TrainingPart } from '../../src/detect/detector.ts';
import { detectCapture } from '../../src/analysis/detect-capture.ts';
import { packetScores } from '../../src/detect/row-decisions.ts';
import { resolveTraining } from '../../src/analysis/training.ts';
import { analyzeCapture } from '../../src/analysis/analyze-capture.ts';
import { UserError } from '../../src/errors.ts';
import { hasSklearn, runPython } from '../score/sklearn-oracle.ts';

const VICTIM = '198.18.0.10';
const CLIENT = '198.18.0.30';
const STREAMER = '198.18.0.31';
const SCANNER = '198.18.0.66';

/** 40 s of benign traffic (web every 0.5 s, a UDP stream), a 300-port scan at 30 s. */
function lab(): { frames: Frame[]; scanFrom: number } {
  const frames: Frame[] = [];
  for (let k = 0; k < 80; k++) frames.push(...openConnection(k * 0.5 + 0.01, CLIENT, 40000 + k, VICTIM, 80));
  for (let k = 0; k < 400; k++) frames.push(udp(k * 0.1 + 0.003, STREAMER, 5004, VICTIM, 5004));
  for (let k = 0; k < 300; k++) frames.push(...refusedConnection(30 + k * 0.002, SCANNER, 50000, VICTIM, 1 + k));
  return { frames: frames.sort((a, b) => a.time - b.time), scanFrom: 30 };
}

const captured = lab();
const decoded = decodeFrames(captured.frames);
const labels = new Uint8Array(decoded.packets);
for (let i = 0; i < decoded.packets; i++) if ([decoded.columns.src[i], decoded.columns.dst[i]].some((id) => decoded.addresses.text(id) === SCANNER)) labels[i] = 1;
const truth = { labels, stepOf: Uint16Array.from(labels), steps: ['', 'port-scan'] };
const warmup: TrainingPart = { source: 'train-until', untilSeconds: 25, capture: null, capturePath: null };

describe('the detector contract', () => {
  test('no detector reads labels: the same decisions whatever the labels say', () => {
    // Given the same capture scored once with its labels and once with every label flipped
    const flipped = { ...truth, labels: labels.map((v) => 1 - v) };
    const a = detectCapture(decoded, truth, { training: warmup, seed: 1, detectors: DETECTORS.map((d) => d.name) });
    const b = detectCapture(decoded, flipped, { training: warmup, seed: 1, detectors: DETECTORS.map((d) => d.name) });
    // Then every detector's scores and decisions are identical
    for (const d of DETECTORS) {
      expect([...b.detections.get(d.name)!.flagged], d.name).toEqual([...a.detections.get(d.name)!.flagged]);
      expect([...packetScores(b.detections.get(d.name)!)], d.name).toEqual([...packetScores(a.detections.get(d.name)!)]);
    }
  });

  test('host-window trained on the warm-up flags the scan and nothing benign, and names the scanner', () => {
    const { results } = detectCapture(decoded, truth, { training: warmup, seed: 1, detectors: ['host-window'] });
    const r = results['host-window'];
    expect(r.training).toEqual({ source: 'train-until', untilSeconds: 25, capture: null });
    expect(r.packets!.f1).toBeGreaterThan(0.99);
    expect(r.packets!.falsePositives).toBe(0);
    expect(r.hosts).toEqual({ detected: [SCANNER], missed: [], falselyFlagged: [] });
    // The first probe is flagged: time to detect 0.
    expect(r.timeToDetectMs).toEqual({ 'port-scan': 0 });
    expect(r.falseAlarmsPerHour).toBe(0);
    // Training packets are not judged.
    let judged = 0;
    for (let i = 0; i < decoded.packets; i++) if (decoded.columns.time[i] >= 25) judged++;
    expect(r.judgedPackets).toBe(judged);
  });

  test('the threshold is set by training rows alone: training on the scan itself hides it', () => {
    // Given a training part that holds the scan (the detector was told it is benign)
    const poisoned: TrainingPart = { source: 'train-until', untilSeconds: 35, capture: null, capturePath: null };
    const d = detectorNamed('host-window')!.detect({ decoded, training: poisoned, seed: 1 });
    // Then the rows of the scan are training rows, not judged, and nothing after them is flagged
    expect(d.flagged.reduce((s, v) => s + v, 0)).toBe(0);
  });

  test('without a training part a learning detector falls back to the top-farthest rule and says so', () => {
    const d = detectorNamed('host-window')!.detect({ decoded, training: NO_TRAINING, seed: 1 });
    expect(d.rule).toMatch(/no attack-free training part.*100 rows farthest/);
    expect(d.notes.join()).toMatch(/weaker rule/);
  });

  test('a separate training capture works with columns that differ (one-hot protocols)', () => {
    const benign = decodeFrames(lab().frames.filter((f) => f.time < 25));
    const part: TrainingPart = { source: 'train-capture', untilSeconds: null, capture: benign, capturePath: benign.path };
    const { results } = detectCapture(decoded, truth, { training: part, seed: 1, detectors: ['host-window', 'sds-window'] });
    expect(results['host-window'].hosts!.detected).toEqual([SCANNER]);
    expect(results['host-window'].judgedPackets).toBe(decoded.packets);
    expect(results['sds-window'].rule).toMatch(/training capture/);
  });
});

describe('training part', () => {
  test('--train-until past the last packet is refused', () => {
    expect(() => resolveTraining({ trainUntil: 1000 }, decoded, 'x.pcap')).toThrow(UserError);
    expect(() => resolveTraining({ trainUntil: 1000 }, decoded, 'x.pcap')).toThrow(/nothing would be left to judge/);
  });

  test("a run directory's capture.json gives the warm-up", () => {
    const dir = mkdtempSync(join(tmpdir(), 'scanlab-training-'));
    const start = decoded.start.sec + decoded.start.nsec / 1e9;
    writeFileSync(join(dir, 'capture.json'), JSON.stringify({ attackFreeUntil: new Date((start + 20) * 1000).toISOString() }));
    const t = resolveTraining({ runDir: dir }, decoded, 'x.pcap');
    expect(t.source).toBe('warm-up');
    expect(t.untilSeconds).toBeCloseTo(20, 3);
  });
});

describe.runIf(hasSklearn)('--emit-scores files recompute the reported scores', () => {
  test('scikit-learn on <detector>.csv joined with labels.csv gives the same precision, recall, F1, ROC-AUC and AP', () => {
    // Given an analysis that writes scores and labels for the same packets
    const dir = mkdtempSync(join(tmpdir(), 'scanlab-emit-scores-'));
    const labelsPath = join(dir, 'labels.csv');
    writeFileSync(labelsPath, `no,label,step\n${[...labels].map((v, i) => `${i + 1},${v ? 'scan' : 'benign'},${v ? 'port-scan' : ''}`).join('\n')}\n`);
    const result = analyzeCapture({ pcapPath: decoded.path, labelsPath, featureSets: ['host-window'], detectors: ['host-window', 'threshold', 'kaggle-rating'], training: { trainUntil: 25 }, emitScoresDir: join(dir, 'scores') });
    const files = Object.fromEntries(['host-window', 'threshold', 'kaggle-rating'].map((n) => [n, readFileSync(join(dir, 'scores', `${n}.csv`), 'utf8')]));
    // When scikit-learn reads them
    const expected = runPython<Record<string, Record<string, number>>>(String.raw`
import json, sys, io
import pandas as pd
from sklearn import metrics as M
inp = json.load(sys.stdin)
labels = pd.read_csv(io.StringIO(inp['labels']))
out = {}
for name, text in inp['files'].items():
    s = pd.read_csv(io.StringIO(text)).merge(labels, on='no')
    y = (s['label'] == 'scan').astype(int)
    out[name] = dict(precision=M.precision_score(y, s['flagged'], zero_division=0), recall=M.recall_score(y, s['flagged'], zero_division=0),
                     f1=M.f1_score(y, s['flagged'], zero_division=0), rocAuc=M.roc_auc_score(y, s['score']), prAuc=M.average_precision_score(y, s['score']),
                     baseRate=float(y.mean()), evaluated=int(len(s)))
print(json.dumps(out))`, { labels: readFileSync(labelsPath, 'utf8'), files });
    // Then every figure agrees
    for (const [name, figures] of Object.entries(expected)) {
      for (const [key, value] of Object.entries(figures)) expect(result.detectors[name].packets![key as 'f1'], `${name} ${key}`).toBeCloseTo(value, 12);
    }
  });
});

describe('host-window+threshold', () => {
  test('flags what either part flags, with each score over its own threshold', () => {
    const input = { decoded, training: warmup, seed: 1 };
    const both = detectorNamed('host-window+threshold')!.detect(input);
    const hw = detectorNamed('host-window')!.detect(input);
    const zeek = detectorNamed('threshold')!.detect(input);
    const [bothScores, hwScores, zeekScores] = [both, hw, zeek].map(packetScores);
    for (let i = 0; i < decoded.packets; i++) {
      expect(both.flagged[i]).toBe(hw.flagged[i] | zeek.flagged[i]);
      expect(bothScores[i]).toBeCloseTo(Math.max(hwScores[i] / hw.threshold!, zeekScores[i] / zeek.threshold!), 12);
    }
    expect([...both.hosts]).toEqual(expect.arrayContaining([...hw.hosts, ...zeek.hosts]));
  });
});
