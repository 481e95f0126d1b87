import { describe, expect, test } from 'vitest';

import { detectionMetrics, rankingScores, rowScoredMetrics, type DetectionMetrics } from '../../src/score/detection-metrics.ts';
import { fixtureRandom, hasSklearn, runPython } from './sklearn-oracle.ts';

type Fixture = { name: string; scores: number[]; flagged: number[]; labels: number[]; evaluated?: number[] };

// sklearn.metrics on the evaluated items; null where sklearn raises or has no value.
const ORACLE = String.raw`
import json, sys
import numpy as np
from sklearn import metrics as M
out = []
for f in json.load(sys.stdin):
    s = np.asarray(f['scores'], dtype=np.float64); p = np.asarray(f['flagged'], dtype=np.int64); y = np.asarray(f['labels'], dtype=np.int64)
    if 'evaluated' in f:
        m = np.asarray(f['evaluated'], dtype=bool); s, p, y = s[m], p[m], y[m]
    both = len(np.unique(y)) == 2
    out.append(dict(
        precision=float(M.precision_score(y, p, zero_division=0)) if len(y) else 0.0,
        recall=float(M.recall_score(y, p, zero_division=0)) if len(y) else 0.0,
        f1=float(M.f1_score(y, p, zero_division=0)) if len(y) else 0.0,
        rocAuc=float(M.roc_auc_score(y, s)) if both else None,
        prAuc=float(M.average_precision_score(y, s)) if y.sum() > 0 else None,
        baseRate=float(y.mean()) if len(y) else 0.0,
    ))
print(json.dumps(out))
`;

function randomFixture(name: string, seed: number, n: number, opts: { levels?: number; masked?: boolean; prevalence?: number } = {}): Fixture {
  const rand = fixtureRandom(seed);
  const f: Fixture = { name, scores: [], flagged: [], labels: [], ...(opts.masked ? { evaluated: [] } : {}) };
  for (let i = 0; i < n; i++) {
    const scan = rand() < (opts.prevalence ?? 0.2) ? 1 : 0;
    // Scan items score higher on average; few levels make many ties, as row scores do.
    let score = rand() + scan * 0.6;
    if (opts.levels) score = Math.floor(score * opts.levels) / opts.levels;
    f.labels.push(scan);
    f.scores.push(score);
    f.flagged.push(score > 0.9 ? 1 : 0);
    f.evaluated?.push(rand() < 0.7 ? 1 : 0);
  }
  return f;
}

const fixtures: Fixture[] = [
  randomFixture('continuous scores, 1000 items', 1, 1000),
  randomFixture('scores on 8 levels (many ties)', 2, 2000, { levels: 8 }),
  randomFixture('binary scores', 3, 500, { levels: 1 }),
  randomFixture('rare scans (1%) and an evaluation mask', 4, 3000, { masked: true, prevalence: 0.01 }),
  { name: 'perfect ranking', scores: [0.9, 0.8, 0.1, 0.2], flagged: [1, 1, 0, 0], labels: [1, 1, 0, 0] },
  { name: 'inverted ranking', scores: [0.1, 0.2, 0.9, 0.8], flagged: [0, 0, 1, 1], labels: [1, 1, 0, 0] },
  { name: 'all tied', scores: [1, 1, 1, 1], flagged: [1, 1, 1, 1], labels: [1, 0, 0, 1] },
  { name: 'nothing flagged (precision 0 by zero_division)', scores: [0.3, 0.2, 0.1], flagged: [0, 0, 0], labels: [1, 0, 0] },
  { name: 'no scan item (benign only)', scores: [0.3, 0.2, 0.1], flagged: [1, 0, 0], labels: [0, 0, 0] },
  { name: 'scan items only', scores: [0.3, 0.2], flagged: [1, 0], labels: [1, 1] },
];

describe.runIf(hasSklearn)('detectionMetrics matches sklearn.metrics', () => {
  const expected = hasSklearn ? runPython<Record<string, number | null>[]>(ORACLE, fixtures) : [];
  test.each(fixtures.map((f, i) => [f.name, i] as const))('%s', (_name, i) => {
    // Given scores, decisions and labels, and sklearn's figures for them
    const f = fixtures[i];
    // When scanlab scores the same
    const actual = detectionMetrics({ scores: f.scores, flagged: f.flagged, labels: f.labels, evaluated: f.evaluated });
    // Then every figure agrees to 1e-12, null where sklearn has no value
    for (const [key, value] of Object.entries(expected[i])) {
      const ours = actual[key as keyof DetectionMetrics];
      if (value === null) expect(ours, key).toBeNull();
      else expect(ours, key).toBeCloseTo(value, 12);
    }
  });
});

describe('detectionMetrics counts', () => {
  test('counts only the evaluated items', () => {
    const m = detectionMetrics({ scores: [1, 1, 0, 0], flagged: [1, 1, 0, 0], labels: [1, 0, 1, 0], evaluated: [1, 0, 1, 1] });
    expect(m).toMatchObject({ evaluated: 3, flagged: 1, truePositives: 1, falsePositives: 0, falseNegatives: 1, baseRate: 2 / 3 });
  });

  test('a NaN score ranks below every other and never hangs the sweep', () => {
    const m = detectionMetrics({ scores: [Number.NaN, 0.5, 0.4], flagged: [0, 1, 0], labels: [1, 1, 0] });
    expect(m.rocAuc).toBeCloseTo(0.5, 12);
  });
});

/** Split into sorted-array input for rankingScores: the ranking with one array entry per item. */
function rankingFromArrays(f: Fixture): { rocAuc: number | null; prAuc: number | null } {
  const pos: number[] = [];
  const neg: number[] = [];
  f.labels.forEach((y, i) => {
    if (f.evaluated && !f.evaluated[i]) return;
    const s = Number.isNaN(f.scores[i]) ? -Infinity : f.scores[i];
    (y ? pos : neg).push(s);
  });
  return rankingScores(Float64Array.from(pos), Float64Array.from(neg));
}

describe('the ranking without per-item arrays gives the same numbers', () => {
  test.each([
    ['scores on 8 levels (counted per distinct score)', randomFixture('levels', 5, 5000, { levels: 8, masked: true })],
    ['300,000 distinct scores (past the per-score table: sorted arrays)', randomFixture('continuous', 6, 300_000)],
    ['-0, 0 and NaN among the scores', { name: 'zeros', scores: [-0, 0, Number.NaN, 0.5, -0, 1], flagged: [0, 0, 0, 1, 0, 1], labels: [1, 0, 1, 0, 0, 1] }],
  ])('%s', (_name, f) => {
    // Given items and the ranking computed from one sorted array entry per item
    const reference = rankingFromArrays(f);
    // When detectionMetrics ranks them
    const m = detectionMetrics({ scores: f.scores, flagged: f.flagged, labels: f.labels, evaluated: f.evaluated });
    // Then ROC-AUC and AP are the same doubles
    expect(m.rocAuc).toBe(reference.rocAuc);
    expect(m.prAuc).toBe(reference.prAuc);
  });

  test('rowScoredMetrics is detectionMetrics on the packets, each with its row\'s score', () => {
    // Given rows with scores (ties, -0, NaN among them), packets in rows or in none, labels and a judged mask
    const rand = fixtureRandom(7);
    const rows = 400;
    const rowScores = Float64Array.from({ length: rows }, (_, r) => (r % 37 === 0 ? Number.NaN : r % 11 === 0 ? -0 : Math.floor(rand() * 20) / 4));
    const n = 20_000;
    const rowOfPacket = Int32Array.from({ length: n }, () => (rand() < 0.05 ? -1 : Math.floor(rand() * rows)));
    const labels = Uint8Array.from(rowOfPacket, (r) => (r >= 0 && r % 3 === 0 ? (rand() < 0.9 ? 1 : 0) : rand() < 0.05 ? 1 : 0));
    const rowFlagged = Uint8Array.from(rowScores, (s) => (s > 3 ? 1 : 0));
    const flagged = Uint8Array.from(rowOfPacket, (r) => (r >= 0 ? rowFlagged[r] : 0));
    const evaluated = Uint8Array.from({ length: n }, () => (rand() < 0.8 ? 1 : 0));
    const scores = Float64Array.from(rowOfPacket, (r) => (r >= 0 ? rowScores[r] : 0));
    // When scored from the rows and from the expanded per-packet scores
    const fromRows = rowScoredMetrics({ rowOfPacket, rowScores, flagged, labels, evaluated });
    const perPacket = detectionMetrics({ scores, flagged, labels, evaluated });
    // Then every figure is identical
    expect(fromRows).toEqual(perPacket);
    expect(fromRows.rocAuc).not.toBeNull();
  });

  test('rowScoredMetrics with rows scored nearly all apart (more distinct scores than the per-packet tally keeps)', () => {
    // Given 300,000 rows with distinct scores but for some ties, and one or two packets each
    const rand = fixtureRandom(11);
    const rows = 300_000;
    const rowScores = Float64Array.from({ length: rows }, (_, r) => (r % 1000 === 0 ? 0.5 : rand() * 10));
    const rowOfPacket = Int32Array.from({ length: rows * 1.5 }, (_, i) => (i < rows ? i : i === rows ? -1 : Math.floor(rand() * rows)));
    const labels = Uint8Array.from(rowOfPacket, (r) => (r >= 0 && rowScores[r] > 6 ? (rand() < 0.7 ? 1 : 0) : rand() < 0.1 ? 1 : 0));
    const flagged = Uint8Array.from(rowOfPacket, (r) => (r >= 0 && rowScores[r] > 8 ? 1 : 0));
    const evaluated = Uint8Array.from(rowOfPacket, () => (rand() < 0.9 ? 1 : 0));
    const scores = Float64Array.from(rowOfPacket, (r) => (r >= 0 ? rowScores[r] : 0));
    // When scored from the rows and from the per-packet scores (sorted copies past 2^18 distinct)
    const fromRows = rowScoredMetrics({ rowOfPacket, rowScores, flagged, labels, evaluated });
    const perPacket = detectionMetrics({ scores, flagged, labels, evaluated });
    // Then every figure is identical
    expect(fromRows).toEqual(perPacket);
    expect(fromRows.rocAuc).toBeGreaterThan(0.5);
  });
});
